/**
 * Every way an upload can be refused by the sanitiser, each with its own translation key,
 * so the member learns what was wrong and never sees decoder text.
 */
import { UserFacingError } from '../common/user-error';

/** Thrown by the container parsers when the bytes do not follow the format. Never shown to anyone. */
export class MalformedImageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedImageError';
  }
}

export function malformed(reason: string): never {
  throw new MalformedImageError(reason);
}

export const refusals = {
  notAnImage: (): UserFacingError => new UserFacingError('error.redaction-not-an-image'),
  svgRefused: (): UserFacingError => new UserFacingError('error.redaction-svg-refused'),
  markupRefused: (): UserFacingError => new UserFacingError('error.redaction-markup-refused'),
  formatUndecodable: (format: string): UserFacingError => new UserFacingError('error.redaction-format-unsupported', [format.toUpperCase()]),
  corrupt: (): UserFacingError => new UserFacingError('error.redaction-corrupt'),
  tooManyPixels: (maxMegapixels: number): UserFacingError => new UserFacingError('error.redaction-too-many-pixels', [maxMegapixels]),
  dimensions: (maxWidth: number, maxHeight: number): UserFacingError => new UserFacingError('error.redaction-dimensions', [maxWidth, maxHeight]),
  fileTooLarge: (maxKiB: number): UserFacingError => new UserFacingError('error.redaction-file-too-large', [maxKiB]),
  timeout: (): UserFacingError => new UserFacingError('error.redaction-timeout'),
  failed: (): UserFacingError => new UserFacingError('error.redaction-failed'),
};
