/**
 * Private verification documents: checked from their bytes, images re-encoded without
 * metadata, encrypted with AES-256-GCM and stored outside every folder NodeBB serves.
 *
 * Where they live: nconf `documents_path` under the plugin's key (config.json
 * `{"physician-network": {"documents_path": "/srv/nodebb-private"}}`), else a folder
 * `physician-network-documents` beside NodeBB's upload folder. NodeBB serves
 * `<base_dir>/public` (and `build/public`) at /assets as well as `upload_path`, so for the
 * default `upload_path` (`<base_dir>/public/uploads`) its literal sibling would be public:
 * the default climbs out of every served folder first, giving `<base_dir>/physician-network-documents`.
 * A configured path inside a served folder is refused.
 *
 * Key: nconf `document_key` under the plugin's key (32 bytes as 64 hex characters or base64),
 * else derived with HKDF-SHA256 from NodeBB's `secret` (always set by NodeBB's setup), so the
 * default needs no admin action. Changing either makes existing documents unreadable.
 *
 * File format: "PNV1" | 12-byte random IV | 16-byte GCM tag | ciphertext. The request id and
 * document id are authenticated as associated data, so a file moved under another request fails.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

import { nodebb, log } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { privateDirectory } from '../common/private-storage';
import { getSettings } from '../settings';
import { sanitiseImage as sanitiseUpload } from '../redaction';
import { listFileDeletions, listedFileDeletions, unlistFileDeletions } from './request-store';
import { DOCUMENT_KINDS, PLUGIN_KEY_PREFIX, type DocumentContentType, type DocumentKind, type StoredDocument } from './model';

const MAGIC = Buffer.from('PNV1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES + TAG_BYTES;
const DOCUMENT_ID = /^[0-9a-f]{32}$/;
const FOLDER_NAME = 'physician-network-documents';

export const MAX_DOCUMENTS = 2;

/** A file as handed in by the route (bytes already read, within the size limit). */
export interface IncomingDocument {
  kind: DocumentKind;
  bytes: Buffer;
}

/** A document checked and made ready to store, not yet on disk. */
export interface PreparedDocument {
  kind: DocumentKind;
  contentType: DocumentContentType;
  bytes: Buffer;
}

/** Where documents are stored (see the file comment for the choice). */
export function documentsDirectory(): string {
  return privateDirectory(`${PLUGIN_KEY_PREFIX}:documents_path`, FOLDER_NAME, () => new UserFacingError('error.verification-storage-unavailable', [], 500));
}

/** The 32-byte document key (see the file comment). */
export function documentKey(): Buffer {
  const configured = nodebb.nconf.get(`${PLUGIN_KEY_PREFIX}:document_key`);
  if (typeof configured === 'string' && configured.trim() !== '') {
    const text = configured.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
    if (key.length !== 32) {
      throw new Error('[physician-network] document_key must be 32 bytes, as 64 hex characters or base64');
    }
    return key;
  }
  const secret = nodebb.nconf.get('secret');
  if (typeof secret !== 'string' || secret === '') {
    throw new UserFacingError('error.verification-storage-unavailable', [], 500);
  }
  return Buffer.from(hkdfSync('sha256', secret, 'nodebb-plugin-physician-network', 'verification-documents-v1', 32));
}

function associatedData(rid: number, documentId: string): Buffer {
  return Buffer.from(`${PLUGIN_KEY_PREFIX}:verification:${rid}:${documentId}`);
}

export function encryptDocument(plain: Buffer, key: Buffer, rid: number, documentId: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(rid, documentId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** Throws if the file was altered, moved under another request, or encrypted with another key. */
export function decryptDocument(stored: Buffer, key: Buffer, rid: number, documentId: string): Buffer {
  if (stored.length < HEADER_BYTES || !stored.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('[physician-network] not a verification document');
  }
  const iv = stored.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = stored.subarray(MAGIC.length + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(associatedData(rid, documentId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(stored.subarray(HEADER_BYTES)), decipher.final()]);
}

/** The document's type from its first bytes; null for anything but PDF, JPEG and PNG. */
export async function sniffDocumentType(bytes: Buffer): Promise<DocumentContentType | null> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(bytes);
  switch (found?.mime) {
    case 'application/pdf': return 'application/pdf';
    case 'image/jpeg': return 'image/jpeg';
    case 'image/png': return 'image/png';
    default: return null;
  }
}

/**
 * Removes an image's metadata (EXIF, GPS, XMP, IPTC, comments) by decoding and re-encoding it,
 * applying the EXIF orientation first. The image-redaction capability replaces this later:
 * keep every image going through this one function.
 */
export async function sanitiseImage(bytes: Buffer, contentType: 'image/jpeg' | 'image/png'): Promise<Buffer> {
  // The same sanitiser as every forum upload: metadata gone, orientation applied, fail closed.
  const settings = await getSettings();
  let clean;
  try {
    clean = await sanitiseUpload(bytes, {
      keepIcc: settings.redactionKeepIccProfile, refuseSvg: true, maxMegapixels: settings.redactionMaxMegapixels,
    });
  } catch {
    // One wording for every unusable document on the verification form.
    throw new UserFacingError('error.verification-document-unreadable');
  }
  if (clean.mime !== contentType) {
    throw new UserFacingError('error.verification-document-unreadable');
  }
  return clean.bytes;
}

/** Refuses a document by its size (routes: before reading it into memory). */
export function assertDocumentSize(size: number, maxMb: number): void {
  if (size <= 0) {
    throw new UserFacingError('error.verification-document-empty');
  }
  if (size > maxMb * 1024 * 1024) {
    throw new UserFacingError('error.verification-document-too-large', [maxMb]);
  }
}

/** Checks the set of documents (1–2: a licence, optionally a photo ID) and prepares each. */
export async function prepareDocuments(documents: readonly IncomingDocument[] | undefined, maxMb: number): Promise<PreparedDocument[]> {
  if (!documents?.length) {
    throw new UserFacingError('error.verification-document-required');
  }
  if (documents.length > MAX_DOCUMENTS) {
    throw new UserFacingError('error.verification-too-many-documents', [MAX_DOCUMENTS]);
  }
  const kinds = documents.map(d => d.kind);
  if (kinds.some(kind => !DOCUMENT_KINDS.includes(kind)) || new Set(kinds).size !== kinds.length) {
    throw new UserFacingError('error.verification-document-kind');
  }
  if (!kinds.includes('licence')) {
    throw new UserFacingError('error.verification-document-required');
  }
  const prepared: PreparedDocument[] = [];
  for (const document of documents) {
    if (!Buffer.isBuffer(document.bytes)) {
      throw new UserFacingError('error.verification-document-empty');
    }
    assertDocumentSize(document.bytes.length, maxMb);
    const contentType = await sniffDocumentType(document.bytes);
    if (!contentType) {
      throw new UserFacingError('error.verification-document-type');
    }
    const bytes = contentType === 'application/pdf' ? document.bytes : await sanitiseImage(document.bytes, contentType);
    prepared.push({ kind: document.kind, contentType, bytes });
  }
  return prepared;
}

function documentPath(dir: string, documentId: string): string {
  if (!DOCUMENT_ID.test(documentId)) {
    throw new UserFacingError('error.verification-document-not-found', [], 404);
  }
  return join(dir, `${documentId}.enc`);
}

/** Encrypts and writes prepared documents; on any failure removes whatever it wrote. */
export async function storeDocuments(rid: number, prepared: readonly PreparedDocument[]): Promise<StoredDocument[]> {
  const dir = documentsDirectory();
  const key = documentKey();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stored: StoredDocument[] = [];
  try {
    for (const document of prepared) {
      const id = randomBytes(16).toString('hex');
      const path = documentPath(dir, id);
      stored.push({ id, kind: document.kind, contentType: document.contentType, size: document.bytes.length });
      // Write then rename, so a crash never leaves a half-written file under the final name.
      await writeFile(`${path}.tmp`, encryptDocument(document.bytes, key, rid, id), { mode: 0o600, flag: 'wx' });
      await rename(`${path}.tmp`, path);
    }
    return stored;
  } catch (error) {
    await deleteDocumentFiles(stored);
    throw error;
  }
}

/** Deletes the files of these document ids (a missing file counts as deleted); returns the ids that failed. */
async function removeFiles(ids: readonly string[]): Promise<string[]> {
  if (!ids.length) {
    return [];
  }
  let dir: string;
  try {
    dir = documentsDirectory();
  } catch (error) {
    log.error(`cannot delete verification documents: ${error instanceof Error ? error.message : String(error)}`);
    return [...ids];
  }
  const failed: string[] = [];
  for (const id of ids) {
    const path = documentPath(dir, id);
    try {
      await rm(path, { force: true });
      await rm(`${path}.tmp`, { force: true });
    } catch (error) {
      log.warn(`could not delete verification document ${id}; the daily job retries: ${error instanceof Error ? error.message : String(error)}`);
      failed.push(id);
    }
  }
  return failed;
}

/**
 * Deletes documents' files. A file that cannot be deleted (disk error) is never left behind
 * silently: its id is recorded in the retry list before the attempt and stays there until a
 * deletion succeeds (see retryDocumentDeletions). Never throws for a failed deletion.
 */
export async function deleteDocumentFiles(documents: readonly StoredDocument[], at = Date.now()): Promise<string[]> {
  if (!documents.length) {
    return [];
  }
  const ids = documents.map(d => d.id);
  // Listed first, so a crash between here and the deletion is retried as well.
  await listFileDeletions(ids, at);
  const failed = await removeFiles(ids);
  const done = ids.filter(id => !failed.includes(id));
  if (done.length) {
    await unlistFileDeletions(done);
  }
  return failed;
}

/** Daily: deletes every file whose deletion failed before. Returns the ids deleted now and those still failing. */
export async function retryDocumentDeletions(): Promise<{ deleted: string[]; failed: string[] }> {
  const ids = (await listedFileDeletions()).filter(id => DOCUMENT_ID.test(id));
  const failed = await removeFiles(ids);
  const deleted = ids.filter(id => !failed.includes(id));
  if (deleted.length) {
    await unlistFileDeletions(deleted);
  }
  if (failed.length) {
    log.error(`${failed.length} verification document file(s) still cannot be deleted; retried daily`);
  }
  return { deleted, failed };
}

export interface DecryptedDocument {
  bytes: Buffer;
  contentType: DocumentContentType;
  /** A fixed, ASCII-only name: nothing the member typed. */
  filename: string;
}

const EXTENSION: Record<DocumentContentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

export async function readStoredDocument(rid: number, document: StoredDocument): Promise<DecryptedDocument> {
  const path = documentPath(documentsDirectory(), document.id);
  let stored: Buffer;
  try {
    stored = await readFile(path);
  } catch {
    throw new UserFacingError('error.verification-document-not-found', [], 404);
  }
  const bytes = decryptDocument(stored, documentKey(), rid, document.id);
  // The type is sniffed again from the decrypted bytes, never taken from the record alone.
  const contentType = await sniffDocumentType(bytes);
  if (contentType !== document.contentType) {
    throw new Error('[physician-network] stored document does not match its record');
  }
  return { bytes, contentType, filename: `verification-${rid}-${document.kind}.${EXTENSION[contentType]}` };
}

/** The headers a document route must send. */
export function documentResponseHeaders(document: DecryptedDocument): Record<string, string> {
  return {
    'Content-Type': document.contentType,
    'Content-Length': String(document.bytes.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `inline; filename="${document.filename}"`,
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  };
}
