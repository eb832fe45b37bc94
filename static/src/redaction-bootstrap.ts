/**
 * Loaded on every page through plugin.json `scripts` (a plain script in NodeBB's client bundle,
 * not an AMD module). It asks NodeBB's module loader for the redaction editor once the page has
 * loaded; the editor then catches images on their way into the composer.
 */
(function loadRedactionGuard(): void {
  interface Guard { installComposerGuard(doc: Document, hooks: unknown): void }
  const app = (window as unknown as { app?: { require(names: string[]): Promise<unknown[]> } }).app;
  if (!app) {
    return;
  }
  void app.require(['physician-network/redaction-editor', 'hooks']).then(([guard, hooks]) => {
    // app.require answers undefined (and logs) when a module fails to load.
    (guard as Guard | undefined)?.installComposerGuard(document, hooks);
  });
})();
