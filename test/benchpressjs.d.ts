// benchpressjs (NodeBB's template engine) ships no types; the tests use one function.
declare module 'benchpressjs' {
  export function compileRender(source: string, data: object): Promise<string>;
}
