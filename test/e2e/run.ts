/**
 * `npm run test:e2e`: runs the end-to-end specs against the NodeBB at NODEBB_URL, or says
 * clearly that it skipped and exits 0 when NODEBB_URL is not set (CI does not run them).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { e2eConfig } from './nodebb-session';

const config = e2eConfig();
if (!config) {
  process.stdout.write('e2e: SKIPPED — set NODEBB_URL (and NODEBB_ADMIN_USERNAME, NODEBB_ADMIN_PASSWORD) to run the end-to-end specs against a running NodeBB.\n');
  process.exit(0);
}
process.stdout.write(`e2e: running against ${config.url}\n`);
const root = join(__dirname, '..', '..', '..');
const mocha = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', join(root, '.mocharc.e2e.json'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(mocha.status ?? 1);
