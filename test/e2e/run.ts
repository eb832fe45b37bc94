/**
 * `npm run test:e2e`: the end-to-end specs against a real NodeBB.
 *
 * - With NODEBB_URL (and NODEBB_ADMIN_USERNAME, NODEBB_ADMIN_PASSWORD): against that forum.
 * - Without: against fresh forums this command sets up and deletes (test/forum/), one per
 *   `--forum=<redis|postgres|redis-2p>` (default: redis; redis-2p is two NodeBB processes on
 *   one Redis). All forums share one NodeBB tree and build, each with its own database.
 *
 * Other arguments go to mocha (e.g. `-- --grep seminars`). With PN_TEST_SUMMARY_FILE set,
 * each mocha run appends its counts there (CI adds them up).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { appendSummary, readSummaries, summaryFile } from '../harness/summary';
import { e2eEnvironment, prepareNodeBBTree, say, startForum, Teardown, type Forum, type ForumOptions } from '../forum/forum';
import { serveForumControl } from './forum-control';
import { e2eConfig } from './nodebb-session';

const root = join(__dirname, '..', '..', '..');

const FORUMS: Record<string, ForumOptions> = {
  redis: { database: 'redis', processes: 1 },
  postgres: { database: 'postgres', processes: 1 },
  'redis-2p': { database: 'redis', processes: 2 },
};

async function runMocha(mochaArgs: string[], env: Record<string, string>, forum?: Forum): Promise<number> {
  const child = spawn(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', join(root, '.mocharc.e2e.json'), ...mochaArgs], {
    cwd: root,
    // The IPC channel lets a spec have the forum stopped around a NodeBB command (forum-control.ts).
    stdio: forum ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit',
    env: { ...process.env, ...env },
  });
  if (forum) {
    serveForumControl(child, args => forum.offline(args));
  }
  return new Promise((resolve) => {
    child.on('exit', (code) => { resolve(code ?? 1); });
  });
}

async function main(): Promise<number> {
  const forumNames = process.argv.slice(2).filter(arg => arg.startsWith('--forum=')).map(arg => arg.slice('--forum='.length));
  const mochaArgs = process.argv.slice(2).filter(arg => !arg.startsWith('--forum='));

  const given = e2eConfig();
  if (given) {
    process.stdout.write(`e2e: running against ${given.url}\n`);
    return runMocha(mochaArgs, {});
  }

  const wanted = forumNames.length > 0 ? forumNames : ['redis'];
  const unknown = wanted.filter(name => !(name in FORUMS));
  if (unknown.length > 0) {
    throw new Error(`unknown --forum ${unknown.join(', ')} (known: ${Object.keys(FORUMS).join(', ')})`);
  }
  const teardown = new Teardown();
  teardown.runOnSignals();
  let failed = false;
  try {
    const treeStarted = Date.now();
    const tree = await prepareNodeBBTree(teardown);
    say(`stage "NodeBB tree and plugin install" took ${((Date.now() - treeStarted) / 1000).toFixed(0)} s`);
    for (const name of wanted) {
      const options = FORUMS[name];
      if (!options) {
        continue;
      }
      const stageStarted = Date.now();
      try {
        const forum = await startForum(tree, options, teardown);
        say(`e2e on the fresh ${name} forum (${forum.urls.join(', ')})`);
        const file = summaryFile();
        const countsBefore = file ? readSummaries(file).length : 0;
        const code = await runMocha(mochaArgs, { ...e2eEnvironment(forum), PN_TEST_LABEL: `e2e ${name}` }, forum);
        failed ||= code !== 0;
        if (code !== 0 && file && readSummaries(file).length === countsBefore) {
          // Mocha died before its reporter could count: that is one failure, not nothing.
          appendSummary({ label: `e2e ${name} (mocha did not finish)`, passed: 0, failed: 1, skipped: 0 });
        }
        await forum.stop();
      } catch (err) {
        failed = true;
        say(`the ${name} forum failed: ${err instanceof Error ? err.message : String(err)}`);
        appendSummary({ label: `e2e ${name} (the forum did not start)`, passed: 0, failed: 1, skipped: 0 });
      }
      say(`stage "e2e on ${name}" took ${((Date.now() - stageStarted) / 1000).toFixed(0)} s`);
    }
  } catch (err) {
    failed = true;
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await teardown.run();
  }
  return failed ? 1 : 0;
}

void main().then((code) => { process.exit(code); });
