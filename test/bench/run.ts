/**
 * `npm run bench`: every capability's benchmark, each printing its figures beside a
 * baseline measured in the same run. Targets live here, never in timed tests.
 */
import { benchSettings } from './settings';
import { benchSpecialties } from './specialties';
import { benchVerification } from './verification';
import { benchSeminars } from './seminars';
import { benchRedaction } from './redaction';
import { benchPrivateUploads } from './private-uploads';
import { benchDatabase } from './measure';

const benches: [string, () => Promise<void>][] = [
  ['settings', benchSettings],
  ['specialties', benchSpecialties],
  ['verification', benchVerification],
  ['redaction', benchRedaction],
  ['private-uploads', async () => {
    const { db, close } = await benchDatabase();
    try {
      await benchPrivateUploads(db);
    } finally {
      await close();
    }
  }],
  ['seminars', async () => {
    const { db, close } = await benchDatabase();
    try {
      await benchSeminars(db);
    } finally {
      await close();
    }
  }],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, bench] of benches) {
    if (only.length && !only.includes(name)) {
      continue;
    }
    process.stdout.write(`\n== ${name} ==\n`);
    await bench();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
