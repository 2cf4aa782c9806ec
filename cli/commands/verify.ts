// `lbamac verify`: the RTL of a configuration against the simulator, cycle by cycle, on random
// jobs. Exits 1 naming the first difference (cycle, port and PE, both values).
import type { CommandModule } from 'yargs';
import { LbamacError } from '../../core/errors.js';
import { loadConfig } from '../../engine/job.js';
import { mismatchReport } from '../../cosim/cosimulate.js';
import { messages } from '../messages.js';
import { SEED_RANGE, wholeNumber } from '../options.js';

interface Args {
  config: string;
  vectors: number;
  seed: number;
  rtl?: string;
  icarus?: string;
}

const M = messages.verify;

export const verifyCommand: CommandModule<object, Args> = {
  command: M.command,
  describe: M.describe,
  builder: (y) =>
    y
      .usage(M.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: M.config },
        vectors: { default: 20, requiresArg: true, coerce: wholeNumber('vectors', 1), describe: M.vectors },
        seed: { default: 1, requiresArg: true, coerce: wholeNumber('seed', SEED_RANGE.min, SEED_RANGE.max), describe: M.seed },
        rtl: { type: 'string', requiresArg: true, describe: M.rtl },
        icarus: { type: 'string', requiresArg: true, describe: M.icarus },
      })
      .example(M.examples),
  handler: async (args) => {
    const cfg = await loadConfig(args.config);
    // Loaded on use: the other commands do not pay for the generator and the harness.
    const { verifyConfig } = await import('../../cosim/verify.js');
    const out = verifyConfig(cfg, {
      vectors: args.vectors,
      seed: args.seed,
      ...(args.rtl === undefined ? {} : { rtlDir: args.rtl }),
      ...(args.icarus === undefined ? {} : { icarusDir: args.icarus }),
    });
    process.stdout.write(M.build(out.build.built, out.build.seconds, out.build.dir) + '\n');
    if (out.failed.length > 0) throw new LbamacError(M.failed(out.failed.length, out.results.length, mismatchReport(out.failed[0]!)));
    if (out.icarus !== undefined) {
      const ic = out.icarus;
      if (ic.mismatches > 0) throw new LbamacError(M.icarusFailed(args.icarus!, ic.mismatches, ic.first.map((m) => `  ${m.text}`).join('\n')));
      process.stdout.write(M.icarusPassed(args.icarus!, ic.cycles) + '\n');
    }
    process.stdout.write(M.passed(out.results.length, out.results.reduce((n, r) => n + r.cycles, 0), args.seed) + '\n');
  },
};
