// Mocha's spec reporter plus one closing line, "N passed, N failed, N skipped", the plain
// summary that CI logs are read for. Plain JS because mocha loads reporters before tsx.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
      // Filled by test/support/data_dir.ts: the data files whose absence skipped tests.
      const missing = globalThis.dxMissingData;
      if (missing && missing.size > 0) {
        const dir = process.env.DX_PERCEPTION_DATA || '../shared';
        process.stdout.write(
          `skipped for missing data in ${dir} (set DX_PERCEPTION_DATA; README "Data" says where to get it): ` +
            `${[...missing].sort().join(', ')}\n`,
        );
      }
    });
  }
}
module.exports = SummaryReporter;
