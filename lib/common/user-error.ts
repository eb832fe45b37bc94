/**
 * An error meant for the person who caused it: its message is a NodeBB translation
 * token, so it reaches them in their language and never carries library text or a stack.
 */
import { translationArg } from '../shared/page-text';

export const LANGUAGE_NAMESPACE = 'physician-network';

/**
 * Make a value safe to pass as a translation argument (commas and brackets would split or nest
 * it): the rendering boundary's `translationArg` (lib/shared/page-text.ts).
 */
export function escapeTranslationArg(value: string | number): string {
  return translationArg(value);
}

/** `[[physician-network:<key>, arg1, …]]`; arguments that are themselves tokens pass through untouched. */
export function translationToken(key: string, args: readonly (string | number)[] = []): string {
  const rendered = args.map(arg => (typeof arg === 'string' && /^\[\[[\w-]+:[\w.-]+\]\]$/.test(arg) ? arg : escapeTranslationArg(arg)));
  return `[[${LANGUAGE_NAMESPACE}:${[key, ...rendered].join(', ')}]]`;
}

export class UserFacingError extends Error {
  readonly key: string;
  readonly args: readonly (string | number)[];
  /** HTTP status a route answers with for this error. */
  readonly status: number;

  constructor(key: string, args: readonly (string | number)[] = [], status = 400) {
    super(translationToken(key, args));
    this.name = 'UserFacingError';
    this.key = key;
    this.args = args;
    this.status = status;
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}
