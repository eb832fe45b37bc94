/// <amd-module name="forum/seminars-calendar"/>
/**
 * /seminars/calendar: the month's name and dates in the reader's language.
 */
import dates = require('physician-network/seminar-dates');

export function init(): void {
  const page = document.querySelector<HTMLElement>('[component="physician-network/seminar-calendar"]');
  if (!page) {
    return;
  }
  dates.formatAll(page);
  dates.reloadOnceForZone(page.dataset.viewerZone ?? 'UTC');
}
