/**
 * plugin.json against what is built: every hook method is a native async function in
 * library.js's exports (NodeBB only awaits those), no priority 0 (NodeBB turns it into 10),
 * every client module and style file exists, and main points at the build.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'sass';

const root = join(__dirname, '..', '..', '..');

interface Manifest {
  id: string;
  hooks: { hook: string; method: string; priority?: number }[];
  modules?: Record<string, string>;
  scripts?: string[];
  scss?: string[];
  templates?: string;
  languages?: string;
}

const manifest = JSON.parse(readFileSync(join(root, 'plugin.json'), 'utf8')) as Manifest;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; main: string; nbbpm?: { compatibility?: string } };

describe('plugin.json', () => {
  it('names the package, whose main is the compiled library', () => {
    expect(manifest.id).to.equal(pkg.name);
    expect(pkg.main).to.equal('build/library.js');
    expect(pkg.nbbpm?.compatibility).to.equal('^4.0.0');
    expect(existsSync(join(root, pkg.main))).to.equal(true);
  });

  it('every hook method is a native async function exported by the library', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const library = require(join(root, pkg.main)) as Record<string, unknown>;
    const problems: string[] = [];
    for (const { hook, method, priority } of manifest.hooks) {
      const target = method.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), library);
      if (typeof target !== 'function') {
        problems.push(`${hook}: ${method} is not a function`);
      } else if (target.constructor.name !== 'AsyncFunction') {
        problems.push(`${hook}: ${method} is not an async function`);
      }
      if (priority === 0) {
        problems.push(`${hook}: priority 0 silently becomes 10`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('every client module, script and style it names exists', () => {
    const files = [...Object.values(manifest.modules ?? {}), ...(manifest.scripts ?? []), ...(manifest.scss ?? [])];
    expect(files.filter(file => !existsSync(join(root, file)))).to.deep.equal([]);
  });

  it('its styles compile with sass, as in NodeBB\'s build', () => {
    for (const file of manifest.scss ?? []) {
      expect(compile(join(root, file)).css, file).to.contain('.physician-network');
    }
  });
});
