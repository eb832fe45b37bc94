/**
 * Seeded fuzzing: thousands of mutated corpus files. Each must be refused with a
 * UserFacingError or come back with nothing left to strip (checked with our own container
 * parser for every output, and with exiftool for a sample); nothing may crash or hang.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

import { sanitiseImage, type SanitiseOptions } from '../../lib/redaction/sanitise';
import { sniffFile } from '../../lib/redaction/sniff';
import { stripContainer } from '../../lib/redaction/containers';
import { stripIco } from '../../lib/redaction/containers/ico';
import { UserFacingError } from '../../lib/common/user-error';
import {
  EXIFTOOL, SENTINEL, animatedWebpWithEverything, baseImage, exiftoolWrite, gifWithEverything, icoDib, icoFile, identifyingFields, jpegTags, jpegWithEverything,
  pngWithEverything, removeCorpusDir, tempPath, webpWithEverything, type ExiftoolTags,
  HARMLESS_NAMESPACED_XML, HTML_WITHOUT_PROLOG, SVG_PREFIXED_ROOT, SVG_WITH_INTERNAL_SUBSET, SVG_WITH_SCRIPT, XHTML_DOCUMENT, XML_WITH_XHTML_SCRIPT, svgUtf16, svgWithLongProlog,
} from '../harness/redaction-corpus';
import { seededRandom } from '../harness/seeded-random';

function mutate(input: Buffer, next: () => number): Buffer {
  const int = (max: number): number => Math.floor(next() * max);
  const bytes = Buffer.from(input);
  const at = int(bytes.length);
  switch (int(8)) {
    case 0: {
      const count = 1 + int(8);
      for (let i = 0; i < count; i++) {
        const pos = int(bytes.length);
        bytes[pos] = (bytes[pos] ?? 0) ^ (1 << int(8));
      }
      return bytes;
    }
    case 1:
      bytes[at] = next() < 0.5 ? 0xff : 0x00;
      return bytes;
    case 2:
      return bytes.subarray(0, at);
    case 3:
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(32) }, () => int(256))), bytes.subarray(at)]);
    case 4:
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + int(64)))]);
    case 5: {
      const slice = bytes.subarray(at, at + 1 + int(64));
      return Buffer.concat([bytes.subarray(0, at), slice, bytes.subarray(at)]);
    }
    case 6:
      return Buffer.concat([bytes, Buffer.from(`${SENTINEL} trailer`)]);
    default: {
      if (at + 4 <= bytes.length) {
        bytes.writeUInt32BE(int(0xffffffff), at);
      }
      return bytes;
    }
  }
}

const options: SanitiseOptions = { keepIcc: true, refuseSvg: true, maxMegapixels: 1, timeoutSeconds: 10 };
const ITERATIONS_PER_SEED = 800;
const EXIFTOOL_SAMPLE_EVERY = 15;
const MARKUP_ITERATIONS_PER_SEED = 150;

describe('redaction: fuzzing the sanitiser', function () {
  this.timeout(120_000);

  after(() => {
    removeCorpusDir();
  });

  it(`${ITERATIONS_PER_SEED} mutations of each corpus file: refused cleanly or returned with no metadata`, async () => {
    const thumbnail = tempPath('.jpg');
    writeFileSync(thumbnail, await baseImage('jpeg', 16, 12));
    const progressive = exiftoolWrite(await sharp(await baseImage('jpeg')).jpeg({ progressive: true }).toBuffer(), '.jpg', jpegTags(thumbnail));
    const seeds: [string, Buffer][] = [
      ['jpeg', await jpegWithEverything()],
      ['jpeg orientation 6', await jpegWithEverything(6)],
      ['progressive jpeg', progressive],
      ['png', await pngWithEverything()],
      ['webp', await webpWithEverything()],
      ['animated webp', await animatedWebpWithEverything()],
      ['animated gif', await gifWithEverything(true)],
      ['ico', icoFile([await pngWithEverything(), icoDib(Buffer.from(`${SENTINEL} after the mask`))])],
    ];
    const sampleDir = mkdtempSync(join(tmpdir(), 'redaction-fuzz-'));
    let refused = 0;
    let returned = 0;
    let sampled = 0;
    try {
      for (const [index, [name, seed]] of seeds.entries()) {
        const next = seededRandom(0x5eed + index);
        for (let i = 0; i < ITERATIONS_PER_SEED; i++) {
          let input = mutate(seed, next);
          if (next() < 0.3) {
            input = mutate(input, next);
          }
          let output;
          try {
            output = await sanitiseImage(input, options);
          } catch (err) {
            expect(err, `${name} #${i} threw something other than a UserFacingError`).to.be.instanceOf(UserFacingError);
            expect((err as UserFacingError).message).to.match(/^\[\[physician-network:error\.redaction-[a-z-]+(, [^\]]+)?\]\]$/);
            refused++;
            continue;
          }
          returned++;
          expect(output.bytes.includes(Buffer.from(SENTINEL)), `${name} #${i} kept sentinel bytes`).to.equal(false);
          // Our own parser finds nothing more to remove.
          const again = output.format === 'ico'
            ? stripIco(output.bytes, { keepIcc: true })
            : stripContainer(output.format, output.bytes, { keepIcc: true });
          expect(again.bytes.equals(output.bytes), `${name} #${i} still had something to strip`).to.equal(true);
          if (returned % EXIFTOOL_SAMPLE_EVERY === 0) {
            writeFileSync(join(sampleDir, `${name.replace(/\W/g, '')}-${i}${output.extension}`), output.bytes);
            sampled++;
          }
        }
      }
      // One exiftool run over the whole sample.
      if (sampled > 0) {
        const report = JSON.parse(execFileSync(EXIFTOOL, ['-q', '-a', '-u', '-G1', '-j', sampleDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as ExiftoolTags[];
        expect(report).to.have.length(sampled);
        for (const tags of report) {
          expect(identifyingFields(tags), String(tags.SourceFile)).to.deep.equal([]);
        }
      }
    } finally {
      rmSync(sampleDir, { recursive: true, force: true });
    }
    // The fuzzer must exercise both outcomes, or it tests nothing.
    expect(refused).to.be.greaterThan(100);
    expect(returned).to.be.greaterThan(100);
  });

  it(`${MARKUP_ITERATIONS_PER_SEED} mutations of each markup seed: judged without throwing, and only ever let through as a clean PNG`, async () => {
    const seeds: [string, Buffer][] = [
      ['svg', SVG_WITH_SCRIPT],
      ['svg with internal subset', SVG_WITH_INTERNAL_SUBSET],
      ['svg:svg', SVG_PREFIXED_ROOT],
      ['svg with long prolog', svgWithLongProlog(6000)],
      ['utf-16le svg', svgUtf16('le', true)],
      ['utf-16be svg without bom', svgUtf16('be', false)],
      ['xhtml', XHTML_DOCUMENT],
      ['xml with an xhtml script', XML_WITH_XHTML_SCRIPT],
      ['html', HTML_WITHOUT_PROLOG],
      ['namespaced xml', HARMLESS_NAMESPACED_XML],
    ];
    const outcomes = { image: 0, 'active-markup': 0, other: 0, rendered: 0 };
    for (const [index, [name, seed]] of seeds.entries()) {
      const next = seededRandom(0x5ec + index);
      for (let i = 0; i < MARKUP_ITERATIONS_PER_SEED; i++) {
        const input = mutate(seed, next);
        const sniffed = sniffFile(input);
        outcomes[sniffed.kind]++;
        let output;
        try {
          // SVG allowed: every mutation that still sniffs as SVG goes through the renderer.
          output = await sanitiseImage(input, { ...options, refuseSvg: false });
        } catch (err) {
          expect(err, `${name} #${i} threw something other than a UserFacingError`).to.be.instanceOf(UserFacingError);
          continue;
        }
        outcomes.rendered++;
        expect(sniffed, `${name} #${i} came back as an image though it was not sniffed as one`).to.deep.equal({ kind: 'image', format: 'svg' });
        expect(output.format, `${name} #${i}`).to.equal('png');
        expect(output.bytes.includes(Buffer.from(SENTINEL)), `${name} #${i} kept sentinel bytes`).to.equal(false);
        expect(stripContainer('png', output.bytes, { keepIcc: true }).bytes.equals(output.bytes), `${name} #${i} still had something to strip`).to.equal(true);
      }
    }
    // Mutations must reach every verdict and the renderer, or this tests nothing.
    expect(outcomes.image).to.be.greaterThan(100);
    expect(outcomes['active-markup']).to.be.greaterThan(100);
    expect(outcomes.other).to.be.greaterThan(10);
    expect(outcomes.rendered).to.be.greaterThan(100);
  });
});
