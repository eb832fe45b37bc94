/**
 * Mocha's spec reporter plus one closing line in the plain form CI reads:
 * "tests: N passed, N failed, N skipped" (and the same counts in PN_TEST_SUMMARY_FILE when set).
 */
import Mocha from 'mocha';

import { appendSummary } from './summary';

const { Spec } = Mocha.reporters;

class SpecWithSummary extends Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      process.stdout.write(`\ntests: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
      appendSummary({ label: process.env.PN_TEST_LABEL ?? 'tests', passed: passes, failed: failures, skipped: pending });
    });
  }
}

export = SpecWithSummary;
