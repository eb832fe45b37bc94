/**
 * Names and addresses of uploads. A stored name is a random identifier and the extension
 * judged from the bytes: nothing of the member's file name (which may hold a patient's name or
 * record number) reaches the disk, the URL or the post.
 *
 * Private uploads live at `<upload_url>/files/pn-private/<id>.<ext>`: an address under
 * `/files/`, so NodeBB's topic thumbnails (paths relative to upload_url) and its post–upload
 * scan see it as an upload, while no such file exists in the upload folder: the plugin's route
 * (mounted before NodeBB's static folders) answers it, and a proxy that serves the upload folder
 * itself finds nothing there and passes the request on to NodeBB.
 */
import { randomBytes } from 'node:crypto';

import { nodebb } from '../nodebb';

export const PRIVATE_FOLDER = 'pn-private';

/** `<id>[-resized].<ext>`: the only names the private route answers to. */
const PRIVATE_NAME = /^([0-9a-f]{32})(-resized)?(\.[a-z0-9]{1,5})$/;
const PRIVATE_REFERENCE = /\/files\/pn-private\/([0-9a-f]{32})(?:-resized)?\.[a-z0-9]{1,5}/g;

export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

/** A stored name: random identifier plus the extension judged from the bytes (".jpg"). */
export function randomFileName(extension: string): string {
  const ext = /^\.[a-z0-9]{1,5}$/.test(extension.toLowerCase()) ? extension.toLowerCase() : '';
  return `${newUploadId()}${ext}`;
}

export interface PrivateName {
  id: string;
  extension: string;
  resized: boolean;
}

export function parsePrivateName(name: string): PrivateName | null {
  const match = PRIVATE_NAME.exec(name);
  if (!match?.[1] || !match[3]) {
    return null;
  }
  return { id: match[1], extension: match[3], resized: match[2] !== undefined };
}

/** NodeBB's upload_url (default /assets/uploads), without a trailing slash. */
export function uploadUrl(): string {
  const configured = nodebb.nconf.get('upload_url');
  return (typeof configured === 'string' && configured !== '' ? configured : '/assets/uploads').replace(/\/+$/, '');
}

export function relativePath(): string {
  const configured = nodebb.nconf.get('relative_path');
  return typeof configured === 'string' ? configured : '';
}

/** The path under upload_url, as NodeBB keeps upload paths (`/files/…`). */
export function privateUploadPath(name: string): string {
  return `/files/${PRIVATE_FOLDER}/${name}`;
}

/** The address a post shows: relative_path + upload_url + path, as core's own upload answers. */
export function privateUploadUrl(name: string): string {
  return `${relativePath()}${uploadUrl()}${privateUploadPath(name)}`;
}

/** The route the plugin mounts (the router is already under relative_path). */
export function privateUploadRoute(): string {
  return `${uploadUrl()}/files/${PRIVATE_FOLDER}/:name`;
}

/** Identifiers of private uploads a text refers to (original or resized copy), each once. */
export function privateUploadsIn(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(PRIVATE_REFERENCE)) {
    if (match[1]) {
      ids.add(match[1]);
    }
  }
  return [...ids];
}
