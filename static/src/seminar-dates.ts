/// <amd-module name="physician-network/seminar-dates"/>
/**
 * Seminar pages print dates as ISO (YYYY-MM-DD) and fees as "2500000 IDR"; this writes them
 * in the reader's language. Dates are formatted as calendar dates in UTC, so a date never
 * moves to a neighbouring day whatever the reader's zone.
 */
interface ForumConfig {
  userLang?: string;
}

function language(): string {
  const lang = (window as unknown as { config?: ForumConfig }).config?.userLang ?? document.documentElement.lang;
  // NodeBB codes use underscores for some languages (pt_BR); Intl wants BCP 47.
  return (lang || 'en-GB').replace('_', '-');
}

function safely<T>(make: () => T, fallback: T): T {
  try {
    return make();
  } catch {
    return fallback;
  }
}

function utcDate(iso: string): Date | null {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!match) {
    return null;
  }
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] ?? '1')));
}

/** `data-pn-date="YYYY-MM-DD"` → "Wed 12 Mar 2030" (in the reader's language). */
export function formatDates(root: ParentNode): void {
  const lang = language();
  const format = safely(() => new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }), null);
  root.querySelectorAll<HTMLElement>('[data-pn-date]').forEach((element) => {
    const date = utcDate(element.dataset.pnDate ?? '');
    if (format && date) {
      element.textContent = format.format(date);
    }
  });
}

/** `data-pn-month="YYYY-MM"` → "March 2030". */
export function formatMonths(root: ParentNode): void {
  const format = safely(() => new Intl.DateTimeFormat(language(), { month: 'long', year: 'numeric', timeZone: 'UTC' }), null);
  root.querySelectorAll<HTMLElement>('[data-pn-month]').forEach((element) => {
    const date = utcDate(element.dataset.pnMonth ?? '');
    if (format && date) {
      element.textContent = format.format(date);
    }
  });
}

/** `data-pn-amount` + `data-pn-currency` → "Rp 2.500.000,00" / "IDR 2,500,000.00". */
export function formatAmounts(root: ParentNode): void {
  const lang = language();
  root.querySelectorAll<HTMLElement>('[data-pn-amount][data-pn-currency]').forEach((element) => {
    const amount = Number(element.dataset.pnAmount);
    const currency = element.dataset.pnCurrency ?? '';
    const text = safely(() => new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount), '');
    if (Number.isFinite(amount) && text) {
      element.textContent = text;
    }
  });
}

export function formatAll(root: ParentNode): void {
  formatDates(root);
  formatMonths(root);
  formatAmounts(root);
}

const RELOAD_FLAG = 'physician-network:seminars-zone-reload';

/**
 * The server shows "your time" in the zone of the `pn_tz` cookie (UTC without it). On a first
 * visit the cookie is set by the page's own script only after the server answered, so
 * reload once when the browser's zone is known and differs from the one the page used.
 */
export function reloadOnceForZone(pageZone: string): void {
  const browserZone = safely(() => Intl.DateTimeFormat().resolvedOptions().timeZone, '');
  if (!browserZone || browserZone === pageZone) {
    return;
  }
  const cookieZone = document.cookie.split('; ').find(part => part.startsWith('pn_tz='))?.slice('pn_tz='.length) ?? '';
  if (decodeURIComponent(cookieZone) !== browserZone) {
    return;
  }
  const tried = safely(() => window.sessionStorage.getItem(RELOAD_FLAG), null);
  if (tried === browserZone) {
    return;
  }
  safely(() => { window.sessionStorage.setItem(RELOAD_FLAG, browserZone); }, undefined);
  ajaxify.refresh();
}
