/**
 * The parts of ECMAScript Intl newer than the client build's ES2019 library that the seminar
 * pages use. Every browser NodeBB 4 supports has them (ES2020/ES2021).
 */
declare namespace Intl {
  interface DateTimeFormatOptions {
    dateStyle?: 'full' | 'long' | 'medium' | 'short';
    timeStyle?: 'full' | 'long' | 'medium' | 'short';
  }

  class DisplayNames {
    constructor(locales: string | string[], options: { type: 'region' | 'language' | 'currency' | 'script' });
    of(code: string): string | undefined;
  }
}
