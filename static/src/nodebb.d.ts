/**
 * The NodeBB client modules and globals our client code uses (NodeBB 4.x, public/src/modules).
 * Only what we call is declared.
 */
declare module 'settings' {
  export function load(hash: string, form: JQuery, callback?: (err: Error | null, values?: Record<string, unknown>) => void): void;
  export function save(hash: string, form: JQuery, callback?: (err: Error | null) => void): void;
}

declare module 'alerts' {
  export function success(message: string, timeout?: number): void;
  export function error(message: unknown, timeout?: number): void;
}

declare module 'translator' {
  /** Builds `[[name, arg1, …]]`, escaping commas and percent signs in the arguments. */
  export function compile(name: string, ...args: (string | number)[]): string;
  export function translate(text: string): Promise<string>;
}

interface JQuery {
  readonly length: number;
  get(index: number): HTMLElement | undefined;
  toArray(): Node[];
  on(events: string, handler: (event: unknown, data?: unknown) => void): JQuery;
}

declare function $(target: Element | Window | string): JQuery;

declare module 'api' {
  export function get<T = unknown>(route: string, data?: Record<string, unknown>): Promise<T>;
  /** NodeBB 4 sends FormData as multipart, with the CSRF token. */
  export function post<T = unknown>(route: string, data?: Record<string, unknown> | FormData): Promise<T>;
  export function put<T = unknown>(route: string, data?: Record<string, unknown>): Promise<T>;
  export function del<T = unknown>(route: string, data?: Record<string, unknown>): Promise<T>;
}

declare module 'bootbox' {
  export function confirm(message: string, callback: (confirmed: boolean) => void): void;
}

declare const ajaxify: {
  data: Record<string, unknown>;
  refresh(callback?: () => void): void;
  /** A forum path without relative_path, e.g. `topic/12/atls-course`. */
  go(url: string, callback?: () => void): void;
};

declare module 'hooks' {
  export function on(hookName: string, listener: (data: unknown) => unknown): void;
}

