/**
 * Image redaction, server side: one sanitiser in front of every NodeBB upload path.
 */
export { sanitiseImage, mimeOf, extensionOf } from './sanitise';
export type { SanitiseOptions, SanitisedImage, OutputFormat } from './sanitise';
export { sniffImageFormat } from './sniff';
export type { SniffedFormat } from './sniff';
