/**
 * Folders for files NodeBB must never serve by itself (licence documents, clinical uploads).
 *
 * NodeBB serves `<base_dir>/public` (and `build/public`) at /assets as well as `upload_path`,
 * and the usual nginx set-up serves the same folders directly, so a private folder must lie
 * outside all of them. The default climbs from beside `upload_path` out of every served folder
 * (for the default `upload_path`, `<base_dir>/public/uploads`, that is `<base_dir>`); a
 * configured folder inside a served one is refused.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { nodebb } from '../nodebb';
import type { UserFacingError } from './user-error';

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The folders NodeBB serves to anyone: upload_path, and public/ and build/public/ under base_dir. */
export function servedFolders(): string[] {
  const baseDir = nodebb.nconf.get('base_dir');
  const uploadPath = nodebb.nconf.get('upload_path');
  const folders: string[] = [];
  if (typeof baseDir === 'string' && baseDir !== '') {
    folders.push(resolve(baseDir, 'public'), resolve(baseDir, 'build', 'public'));
  }
  if (typeof uploadPath === 'string' && uploadPath !== '') {
    folders.push(resolve(uploadPath));
  }
  return folders;
}

/**
 * The private folder `folderName`, or the one configured under nconf `configKey`
 * (e.g. `physician-network:documents_path`). `unavailable` is thrown when NodeBB gives no
 * folder to start from.
 */
export function privateDirectory(configKey: string, folderName: string, unavailable: () => UserFacingError): string {
  const served = servedFolders();
  const configured = nodebb.nconf.get(configKey);
  if (typeof configured === 'string' && configured.trim() !== '') {
    const dir = resolve(configured.trim());
    if (served.some(folder => isInside(dir, folder))) {
      throw new Error(`[physician-network] ${configKey} lies inside a folder NodeBB serves publicly; refusing to store private files there`);
    }
    return dir;
  }
  const uploadPath = nodebb.nconf.get('upload_path');
  const baseDir = nodebb.nconf.get('base_dir');
  let parent: string;
  if (typeof uploadPath === 'string' && uploadPath !== '') {
    parent = dirname(resolve(uploadPath));
  } else if (typeof baseDir === 'string' && baseDir !== '') {
    parent = resolve(baseDir);
  } else {
    throw unavailable();
  }
  while (served.some(folder => isInside(parent, folder)) && dirname(parent) !== parent) {
    parent = dirname(parent);
  }
  return join(parent, folderName);
}
