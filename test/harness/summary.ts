/**
 * Test counts for CI to add up across runs (unit, and e2e on each forum): one JSON line per
 * run appended to the file named by PN_TEST_SUMMARY_FILE, when it is set.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface TestCounts {
  label: string;
  passed: number;
  failed: number;
  skipped: number;
}

export function summaryFile(): string | undefined {
  const file = process.env.PN_TEST_SUMMARY_FILE;
  return file === '' ? undefined : file;
}

export function appendSummary(counts: TestCounts): void {
  const file = summaryFile();
  if (file) {
    appendFileSync(file, `${JSON.stringify(counts)}\n`);
  }
}

export function readSummaries(file: string): TestCounts[] {
  if (!existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8').split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as TestCounts);
}
