/**
 * The e2e specs' reading of NodeBB's log: a plugin error or warning in NodeBB's real line
 * format is found (coloured or not), and other lines are not.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pluginProblems, readForumLog } from '../e2e/forum-log';

describe('forum log reading (e2e helper)', () => {
  const lines = [
    '2026-12-01T03:31:15.101Z [4567/812] - info: [plugins] Loaded 9 plugins',
    '2026-12-01T03:31:15.201Z [4567/812] - error: Error executing \'static:app.load\' in plugin \'nodebb-plugin-physician-network\'',
    '2026-12-01T03:31:15.301Z [4567/812] - warn: [physician-network] provisioning failed; run it again from the ACP',
    '2026-12-01T03:31:15.401Z [4567/812] - verbose: [physician-network] loaded',
    '2026-12-01T03:31:15.501Z [4567/812] - error: [cron] some other plugin failed',
  ];

  it('finds the plugin\'s errors and warnings and nothing else', () => {
    expect(pluginProblems(lines.join('\n'))).to.deep.equal([lines[1], lines[2]]);
  });

  it('reads a coloured log as plain text, so coloured problems are found too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pn-forum-log-'));
    try {
      const file = join(dir, 'nodebb.log');
      writeFileSync(file, lines.map(line => line.replace(/ - (\w+):/, ' - \x1b[31m$1\x1b[39m:')).join('\n'));
      expect(pluginProblems(readForumLog(file))).to.deep.equal([lines[1], lines[2]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
