/// <amd-module name="forum/physicians"/>
/**
 * /physicians: the member's own "list me in the directory" switch.
 */
import api = require('api');
import alerts = require('alerts');

export function init(): void {
  const toggle = document.querySelector<HTMLInputElement>('[component="physician-network/directory-listed"]');
  toggle?.addEventListener('change', () => {
    const listed = toggle.checked;
    api.put('/plugins/physician-network/directory/listing', { listed }).then(() => {
      alerts.success('[[physician-network:acp.saved]]');
      ajaxify.refresh();
    }, (err: unknown) => {
      toggle.checked = !listed;
      alerts.error(err);
    });
  });
}
