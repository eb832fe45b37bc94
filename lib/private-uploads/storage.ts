/**
 * Private upload files on disk, outside every folder NodeBB (or its proxy) serves.
 *
 * Where: nconf `physician-network:private_uploads_path`, else `physician-network-uploads`
 * beside the licence documents' default (see lib/common/private-storage.ts). Files are not
 * encrypted: images are served on every page view, and the folder's protection is the file
 * system's (0700 folder, 0600 files), as for NodeBB's own upload folder.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { privateDirectory } from '../common/private-storage';
import { UserFacingError } from '../common/user-error';
import { parsePrivateName } from './names';

const FOLDER_NAME = 'physician-network-uploads';

export function privateUploadsDirectory(): string {
  return privateDirectory('physician-network:private_uploads_path', FOLDER_NAME, () => new UserFacingError('error.private-upload-storage-unavailable', [], 500));
}

/** The file for a private name (`<id>[-resized].<ext>`); null for any other name. */
export function privateFilePath(name: string): string | null {
  return parsePrivateName(name) ? join(privateUploadsDirectory(), name) : null;
}

/** Copies `sourcePath` under `name`, writing then renaming so a crash never leaves half a file. */
export async function writePrivateFile(sourcePath: string, name: string): Promise<string> {
  const target = privateFilePath(name);
  if (!target) {
    throw new Error(`[physician-network] not a private upload name: ${name}`);
  }
  await mkdir(privateUploadsDirectory(), { recursive: true, mode: 0o700 });
  try {
    await copyFile(sourcePath, `${target}.tmp`);
    await rename(`${target}.tmp`, target);
  } catch (error) {
    await rm(`${target}.tmp`, { force: true });
    throw error;
  }
  return target;
}
