/**
 * Verification documents: the type judged from bytes, metadata removed from images,
 * AES-256-GCM at rest (round trip, tampering, no plaintext on disk), and a storage folder
 * that NodeBB never serves.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

import { UserFacingError } from '../../lib/common/user-error';
import {
  decryptDocument, deleteDocumentFiles, documentKey, documentResponseHeaders, documentsDirectory, encryptDocument,
  prepareDocuments, readStoredDocument, sniffDocumentType, storeDocuments,
} from '../../lib/verification/documents';
import { documentsFromUploads } from '../../lib/verification/uploads';
import { testDatabase } from '../harness/root-hooks';
import { installVerificationWorld, setNconf, type VerificationWorld } from '../harness/verification-stand-ins';
import { PLAINTEXT_MARKER, gifBytes, jpegWithExif, pdfBytes, pngBytes } from '../harness/verification-fixtures';

async function refusal(work: Promise<unknown>): Promise<UserFacingError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(UserFacingError);
    return error as UserFacingError;
  }
  throw new Error('expected a refusal');
}

function only<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new Error('missing value');
  }
  return value;
}

describe('verification: documents', () => {
  let world: VerificationWorld;

  before(() => { world = installVerificationWorld(testDatabase()); });
  after(() => { world.restore(); });

  it('judges the type from the bytes, not the name', async () => {
    expect(await sniffDocumentType(pdfBytes())).to.equal('application/pdf');
    expect(await sniffDocumentType(await jpegWithExif())).to.equal('image/jpeg');
    expect(await sniffDocumentType(await pngBytes())).to.equal('image/png');
    expect(await sniffDocumentType(await gifBytes())).to.equal(null);
    expect(await sniffDocumentType(Buffer.from('just text pretending to be scan.pdf'))).to.equal(null);
  });

  it('refuses wrong types, oversized and empty files, and wrong sets of documents', async () => {
    expect((await refusal(prepareDocuments([{ kind: 'licence', bytes: await gifBytes() }], 10))).key).to.equal('error.verification-document-type');
    expect((await refusal(prepareDocuments([{ kind: 'licence', bytes: Buffer.from('<html>') }], 10))).key).to.equal('error.verification-document-type');
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(1024 * 1024 + 1)]);
    const tooLarge = await refusal(prepareDocuments([{ kind: 'licence', bytes: big }], 1));
    expect(tooLarge.key).to.equal('error.verification-document-too-large');
    expect(tooLarge.message).to.equal('[[physician-network:error.verification-document-too-large, 1]]');
    expect((await refusal(prepareDocuments([{ kind: 'licence', bytes: Buffer.alloc(0) }], 1))).key).to.equal('error.verification-document-empty');
    expect((await refusal(prepareDocuments([], 10))).key).to.equal('error.verification-document-required');
    expect((await refusal(prepareDocuments([{ kind: 'photo-id', bytes: pdfBytes() }], 10))).key).to.equal('error.verification-document-required');
    expect((await refusal(prepareDocuments([{ kind: 'licence', bytes: pdfBytes() }, { kind: 'licence', bytes: pdfBytes() }], 10))).key).to.equal('error.verification-document-kind');
    const three = [{ kind: 'licence' as const, bytes: pdfBytes() }, { kind: 'photo-id' as const, bytes: pdfBytes() }, { kind: 'photo-id' as const, bytes: pdfBytes() }];
    expect((await refusal(prepareDocuments(three, 10))).key).to.equal('error.verification-too-many-documents');
    const truncated = (await jpegWithExif()).subarray(0, 200);
    expect((await refusal(prepareDocuments([{ kind: 'licence', bytes: truncated }], 10))).key).to.equal('error.verification-document-unreadable');
  });

  it('re-encodes images without their metadata', async () => {
    const original = await jpegWithExif();
    expect(original.includes(PLAINTEXT_MARKER)).to.equal(true);
    expect((await sharp(original).metadata()).exif).to.not.equal(undefined);
    const [prepared] = await prepareDocuments([{ kind: 'licence', bytes: original }], 10);
    expect(prepared?.contentType).to.equal('image/jpeg');
    const cleaned = prepared?.bytes ?? Buffer.alloc(0);
    expect(cleaned.includes(PLAINTEXT_MARKER)).to.equal(false);
    const meta = await sharp(cleaned).metadata();
    expect(meta.exif).to.equal(undefined);
    expect(meta.width).to.equal(16);
  });

  it('encrypts with AES-256-GCM: round trip, a random IV per file, and tampering detected', () => {
    const key = documentKey();
    expect(key.length).to.equal(32);
    const plain = pdfBytes();
    const a = encryptDocument(plain, key, 7, 'a'.repeat(32));
    const b = encryptDocument(plain, key, 7, 'a'.repeat(32));
    expect(a.equals(b)).to.equal(false);
    expect(decryptDocument(a, key, 7, 'a'.repeat(32)).equals(plain)).to.equal(true);

    const flipped = Buffer.from(a);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x01;
    expect(() => decryptDocument(flipped, key, 7, 'a'.repeat(32))).to.throw();
    // The same bytes presented as another request's document fail too.
    expect(() => decryptDocument(a, key, 8, 'a'.repeat(32))).to.throw();
    const otherKey = Buffer.alloc(32, 1);
    expect(() => decryptDocument(a, otherKey, 7, 'a'.repeat(32))).to.throw();
  });

  it('stores no plaintext on disk and reads documents back with their sniffed type and a safe name', async () => {
    const prepared = await prepareDocuments([
      { kind: 'licence', bytes: pdfBytes() },
      { kind: 'photo-id', bytes: await pngBytes() },
    ], 10);
    const pdf = only(prepared[0]);
    const stored = await storeDocuments(42, prepared);
    expect(stored).to.have.length(2);
    const files = readdirSync(world.documentsDir);
    expect(files.sort()).to.deep.equal(stored.map(d => `${d.id}.enc`).sort());
    for (const file of files) {
      const bytes = readFileSync(join(world.documentsDir, file));
      expect(bytes.includes(PLAINTEXT_MARKER), file).to.equal(false);
      expect(bytes.includes('%PDF'), file).to.equal(false);
      expect(bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47])), file).to.equal(false);
    }
    const read = await readStoredDocument(42, only(stored[0]));
    expect(read.bytes.equals(pdf.bytes)).to.equal(true);
    expect(read.bytes.includes(PLAINTEXT_MARKER)).to.equal(true);
    expect(read.contentType).to.equal('application/pdf');
    expect(read.filename).to.equal('verification-42-licence.pdf');
    const headers = documentResponseHeaders(read);
    expect(headers['Cache-Control']).to.equal('no-store');
    expect(headers['X-Content-Type-Options']).to.equal('nosniff');
    expect(headers['Content-Disposition']).to.equal('inline; filename="verification-42-licence.pdf"');

    // A tampered file is refused rather than served.
    const photo = only(stored[1]);
    const path = join(world.documentsDir, `${photo.id}.enc`);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    let failed = false;
    try {
      await readStoredDocument(42, photo);
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);

    await deleteDocumentFiles(stored);
    expect(readdirSync(world.documentsDir)).to.deep.equal([]);
  });

  it('keeps documents out of every folder NodeBB serves, by default and when configured', () => {
    // Default upload_path is <base_dir>/public/uploads, and <base_dir>/public is served at /assets.
    expect(documentsDirectory()).to.equal(join(world.baseDir, 'physician-network-documents'));
    let undo = setNconf({ upload_path: '/srv/nodebb-uploads' });
    expect(documentsDirectory()).to.equal('/srv/physician-network-documents');
    undo();
    undo = setNconf({ 'physician-network:documents_path': join(world.baseDir, 'public', 'private') });
    expect(() => documentsDirectory()).to.throw(/served|publicly/);
    undo();
    undo = setNconf({ 'physician-network:documents_path': '/var/lib/pn-docs' });
    expect(documentsDirectory()).to.equal('/var/lib/pn-docs');
    undo();
  });

  it('turns multipart temp files into documents and deletes every temp file, also on refusal', async () => {
    const tmp = (name: string, bytes: Buffer) => {
      const path = join(world.baseDir, name);
      writeFileSync(path, bytes);
      return { path, size: bytes.length };
    };
    const ok = [
      { fieldname: 'licence', ...tmp('a', pdfBytes()) },
      { fieldname: 'photoId', ...tmp('b', await pngBytes()) },
    ];
    const documents = await documentsFromUploads(ok, 10);
    expect(documents.map(d => d.kind)).to.deep.equal(['licence', 'photo-id']);
    expect(ok.map(f => existsSync(f.path))).to.deep.equal([false, false]);

    const unknownField = [{ fieldname: 'licence', ...tmp('c', pdfBytes()) }, { fieldname: 'avatar', ...tmp('d', pdfBytes()) }];
    expect((await refusal(documentsFromUploads(unknownField, 10))).key).to.equal('error.verification-document-kind');
    expect(unknownField.map(f => existsSync(f.path))).to.deep.equal([false, false]);

    const oversized = [{ fieldname: 'licence', ...tmp('e', Buffer.alloc(1024 * 1024 + 1)) }, { fieldname: 'photoId', ...tmp('f', pdfBytes()) }];
    expect((await refusal(documentsFromUploads(oversized, 1))).key).to.equal('error.verification-document-too-large');
    expect(oversized.map(f => existsSync(f.path))).to.deep.equal([false, false]);

    const three = ['g', 'h', 'i'].map(name => ({ fieldname: 'licence', ...tmp(name, pdfBytes()) }));
    expect((await refusal(documentsFromUploads(three, 10))).key).to.equal('error.verification-too-many-documents');
    expect(three.map(f => existsSync(f.path))).to.deep.equal([false, false, false]);
  });

  it('takes the key from config, else derives it from NodeBB\'s secret', () => {
    const derived = documentKey();
    let undo = setNconf({ secret: 'another-secret' });
    expect(documentKey().equals(derived)).to.equal(false);
    undo();
    const hex = 'ab'.repeat(32);
    undo = setNconf({ 'physician-network:document_key': hex });
    expect(documentKey().toString('hex')).to.equal(hex);
    undo();
    undo = setNconf({ 'physician-network:document_key': 'too-short' });
    expect(() => documentKey()).to.throw(/32 bytes/);
    undo();
  });
});
