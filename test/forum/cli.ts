/**
 * `npm run forum [-- --database=postgres] [-- --processes=2]`: a fresh NodeBB 4.11.2 with
 * this checkout's plugin, running until Ctrl-C; then everything it started is stopped and deleted.
 */
import { parseArgs } from 'node:util';

import { prepareNodeBBTree, say, startForum, Teardown } from './forum';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string', default: 'redis' },
      processes: { type: 'string', default: '1' },
    },
  });
  const database = values.database;
  if (database !== 'redis' && database !== 'postgres') {
    throw new Error(`--database must be redis or postgres, not ${database}`);
  }
  const processes = values.processes === '2' ? 2 : 1;
  const teardown = new Teardown();
  teardown.runOnSignals();
  try {
    const tree = await prepareNodeBBTree(teardown);
    const forum = await startForum(tree, { database, processes }, teardown);
    process.stdout.write([
      '',
      `NodeBB 4.11.2 with ${database} is running at ${forum.urls.join(' and ')}`,
      `  admin login: ${forum.admin.username} / ${forum.admin.password}`,
      `  NodeBB's log: ${forum.logFiles.join(', ')}`,
      '  Ctrl-C stops it and deletes the forum.',
      '',
    ].join('\n'));
    // Runs until a signal; the teardown then stops everything and exits.
    setInterval(() => { /* keep running */ }, 1 << 30);
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await teardown.run();
    process.exit(1);
  }
}

void main();
