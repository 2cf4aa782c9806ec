// `lbamac gemm`: load and check the job, run one engine, write the result. Everything is computed
// before anything is written, so a failing run leaves no output file behind.
import type { CommandModule } from 'yargs';
import { DEFAULT_ENGINE, ENGINES, runEngine } from '../../engine/index.js';
import { loadJob } from '../../engine/job.js';
import { toJsonText } from '../../engine/json.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { warnAboutInputs } from '../input-warnings.js';
import { checkOutputFile } from '../../util/output-path.js';
import { messages } from '../messages.js';
import { oneOf } from '../options.js';
import { runProgress } from '../progress.js';

interface Args {
  config: string;
  a: string;
  b: string;
  c?: string;
  engine: string;
  out?: string;
}

export const gemmCommand: CommandModule<object, Args> = {
  command: messages.gemm.command,
  describe: messages.gemm.describe,
  builder: (y) =>
    y
      .usage(messages.gemm.usage)
      .options({
        config: { type: 'string', demandOption: true, requiresArg: true, describe: messages.gemm.config },
        a: { type: 'string', demandOption: messages.gemm.needA, requiresArg: true, describe: messages.gemm.a },
        b: { type: 'string', demandOption: messages.gemm.needB, requiresArg: true, describe: messages.gemm.b },
        c: { type: 'string', requiresArg: true, describe: messages.gemm.c },
        engine: { type: 'string', choices: Object.keys(ENGINES), coerce: oneOf('engine', Object.keys(ENGINES)), default: DEFAULT_ENGINE, describe: messages.gemm.engine },
        out: { type: 'string', alias: 'o', requiresArg: true, describe: messages.gemm.out },
      })
      .example(messages.gemm.examples),
  handler: async (args) => {
    if (args.out !== undefined) checkOutputFile(args.out);
    const job = await loadJob({ configPath: args.config, aPath: args.a, bPath: args.b, ...(args.c === undefined ? {} : { cPath: args.c }) });
    warnAboutInputs(job.conversions);
    const engine = ENGINES[args.engine]!;
    const progress = engine.steps === null ? null : runProgress(messages.progress.engine(args.engine, engine.steps));
    if (args.engine === 'verilator') process.stderr.write(messages.progress.verilatorEngine + '\n');
    const output = await runEngine(args.engine, job, progress?.step).finally(() => progress?.stop());
    const text = toJsonText(output);
    if (args.out === undefined) process.stdout.write(text);
    else {
      await writeFileAtomic(args.out, text);
      process.stdout.write(messages.gemm.wrote(args.out) + '\n');
    }
  },
};
