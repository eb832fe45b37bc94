/// <amd-module name="forum/physician-verification-queue"/>
/**
 * The review queue works without script (links and a GET filter form). This module exists
 * because ajaxify requires `forum/<template>` for every page it renders.
 */
export function init(): void {
  // Nothing to wire: filters submit themselves (onchange) and rows are plain links.
}
