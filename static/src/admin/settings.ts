/// <amd-module name="admin/plugins/physician-network"/>
/**
 * ACP page: loads and saves the plugin's settings through NodeBB's settings module,
 * after checking the form so bad values never leave the page.
 */
import Settings = require('settings');
import alerts = require('alerts');
import validation = require('physician-network/form-validation');

const SETTINGS_HASH = 'physician-network';

export function init(): void {
  const form = document.querySelector<HTMLFormElement>('form.physician-network-settings');
  const saveButton = document.getElementById('save');
  if (!form || !saveButton) {
    return;
  }
  Settings.load(SETTINGS_HASH, $(form));

  saveButton.addEventListener('click', (event) => {
    event.preventDefault();
    void validation.checkForm(form).then((ok) => {
      if (!ok) {
        return;
      }
      Settings.save(SETTINGS_HASH, $(form), (err) => {
        if (err) {
          alerts.error(err);
          return;
        }
        alerts.success('[[physician-network:acp.saved]]');
      });
    });
  });
}
