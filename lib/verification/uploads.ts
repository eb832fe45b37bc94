/**
 * A verification request's multipart files, as NodeBB's multer leaves them: each checked for
 * size before it is read, turned into documents for the service, and always deleted.
 */
import { readFile, rm, stat } from 'node:fs/promises';

import { UserFacingError } from '../common/user-error';
import { MAX_DOCUMENTS, assertDocumentSize, type IncomingDocument } from './documents';
import type { DocumentKind } from './model';

/**
 * For routes: reads a multipart temp file after checking its size, and always deletes it.
 * NodeBB's multer keeps temp files with no size limit.
 */
export async function readUploadedFile(path: string, maxMb: number): Promise<Buffer> {
  try {
    const info = await stat(path);
    assertDocumentSize(info.size, maxMb);
    return await readFile(path);
  } finally {
    await rm(path, { force: true });
  }
}

/** A temp file as NodeBB's multer (`upload.any()` in setupApiRoute) leaves it in `req.files`. */
export interface UploadedTempFile {
  fieldname: string;
  path: string;
  size: number;
}

/** Multipart field names the routes accept, and the document kind each carries. */
export const UPLOAD_FIELDS: Readonly<Record<string, DocumentKind>> = { licence: 'licence', photoId: 'photo-id' };

/** Deletes every temp file of a request, whatever happens to it (guests can upload too). */
export async function discardUploadedFiles(files: readonly UploadedTempFile[] | undefined): Promise<void> {
  await Promise.all((files ?? []).map(file => rm(file.path, { force: true })));
}

/**
 * For routes: turns `req.files` into documents for the service, checking each size before
 * reading it and deleting every temp file, also when one is refused.
 */
export async function documentsFromUploads(files: readonly UploadedTempFile[] | undefined, maxMb: number): Promise<IncomingDocument[]> {
  const list = files ?? [];
  try {
    if (list.length > MAX_DOCUMENTS) {
      throw new UserFacingError('error.verification-too-many-documents', [MAX_DOCUMENTS]);
    }
    const documents: IncomingDocument[] = [];
    for (const file of list) {
      const kind = UPLOAD_FIELDS[file.fieldname];
      if (kind === undefined) {
        throw new UserFacingError('error.verification-document-kind');
      }
      documents.push({ kind, bytes: await readUploadedFile(file.path, maxMb) });
    }
    return documents;
  } finally {
    await discardUploadedFiles(list);
  }
}
