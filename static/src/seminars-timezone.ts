/**
 * Loaded on every page through plugin.json `scripts`: tells the server the reader's time zone
 * in the cookie `pn_tz` (an IANA name such as Europe/Stockholm), so server-rendered seminar
 * times can show "03:00 your time". Written only when missing or changed (travel, a new
 * device setting); the server checks the name before using it.
 */
(function rememberTimeZone(): void {
  let zone = '';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) {
    return;
  }
  const current = /(?:^|;\s*)pn_tz=([^;]*)/.exec(document.cookie)?.[1];
  let stored = '';
  try {
    stored = current === undefined ? '' : decodeURIComponent(current);
  } catch {
    stored = '';
  }
  if (stored === zone) {
    return;
  }
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `pn_tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Lax${secure}`;
})();
