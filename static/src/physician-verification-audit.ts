/// <amd-module name="forum/physician-verification-audit"/>
/**
 * The audit page works without script (links and a GET filter form). This module exists
 * because ajaxify requires `forum/<template>` for every page it renders.
 */
export function init(): void {
  // Nothing to wire: the filter is a plain GET form and entries are plain links.
}
