/// <amd-module name="admin/plugins/physician-network"/>
/**
 * ACP page: loads and saves the plugin's settings through NodeBB's settings module,
 * after checking the form so bad values never leave the page.
 */
import Settings = require('settings');
import alerts = require('alerts');
import validation = require('physician-network/form-validation');
import api = require('api');

const SETTINGS_HASH = 'physician-network';

interface StartupReport {
  needsAttention: { id: string }[];
}

/** "Retry now" on the needs-attention notice: run the unfinished start-up steps, then redraw the page. */
function wireStartupRetry(): void {
  const button = document.querySelector<HTMLButtonElement>('[component="physician-network/startup-retry"]');
  button?.addEventListener('click', () => {
    button.disabled = true;
    api.post<StartupReport>('/plugins/physician-network/startup/retry').then((report) => {
      if (report.needsAttention.length) {
        alerts.error('[[physician-network:acp.startup.still-failing]]');
      } else {
        alerts.success('[[physician-network:acp.startup.finished]]');
      }
      ajaxify.refresh();
    }, (err: unknown) => {
      button.disabled = false;
      alerts.error(err);
    });
  });
}

export function init(): void {
  wireStartupRetry();
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
