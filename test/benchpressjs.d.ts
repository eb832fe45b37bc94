// benchpressjs (NodeBB's template engine) ships no types; the tests use these functions.
declare module 'benchpressjs' {
  export function compileRender(source: string, data: object): Promise<string>;
  /** NodeBB registers its helpers, `__escape` (as the identity) among them, this way. */
  export function registerHelper(name: string, helper: (...args: never[]) => unknown): void;
}
