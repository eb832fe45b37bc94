/**
 * Who is looking at a seminar page or route: their time zone (a cookie the browser keeps set,
 * since NodeBB stores none). One place for pages, the form, the widget and the API.
 */
import type { Request } from 'express';

import { requestCookie } from '../common/http';
import { viewerZoneOrUtc } from './time';
import { canonicalZone } from './validation';

/** Set by static/src/seminars-timezone.ts to the browser's IANA zone. */
export const VIEWER_ZONE_COOKIE = 'pn_tz';

/** The viewer's zone, UTC when the cookie is missing or not a real zone. */
export function viewerZoneOf(req: Request): string {
  return viewerZoneOrUtc(requestCookie(req, VIEWER_ZONE_COOKIE));
}

/** The viewer's zone in canonical form, or null when the browser has not said (or said nonsense). */
export function knownViewerZone(req: Request): string | null {
  return canonicalZone(requestCookie(req, VIEWER_ZONE_COOKIE));
}
