/**
 * Loaded on every page through plugin.json `scripts` (a plain script in NodeBB's client
 * bundle, not an AMD module): loads the seminar panel module, which then draws the panel on
 * every seminar topic ajaxify shows.
 */
(function watchSeminarTopics(): void {
  interface Panel { install(hooks: unknown): void }
  const app = (window as unknown as { app?: { require(names: string[]): Promise<unknown[]> } }).app;
  if (!app) {
    return;
  }
  void app.require(['physician-network/seminar-panel', 'hooks']).then(([panel, hooks]) => {
    // app.require answers undefined (and logs) when a module fails to load.
    (panel as Panel | undefined)?.install(hooks);
  });
})();
