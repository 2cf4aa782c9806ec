// `lbamac gemm`: load and check the job, run one engine, write the result (JSON, and D as .npy
// files if asked). Every output path is checked and everything computed before anything is
// written, so a failing run leaves no output file behind; each file is written whole.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { LbamacError } from '../../core/errors.js';
import { DEFAULT_ENGINE, ENGINES, runEngine } from '../../engine/index.js';
import { toJsonText } from '../../engine/json.js';
import { codesNpy, valuesNpy } from '../../engine/output.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputFile } from '../../util/output-path.js';
import { type JobInputArgs, jobInputOptions, loadGivenJob } from '../job-input.js';
import { messages } from '../messages.js';
import { oneOf } from '../options.js';
import { runProgress } from '../progress.js';

interface Args extends JobInputArgs {
  config: string;
  a: string;
  b: string;
  c?: string;
  engine: string;
  out?: string;
  values?: string;
}

const isNpyPath = (path: string) => path.toLowerCase().endsWith('.npy');

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
        ...jobInputOptions,
        engine: { type: 'string', choices: Object.keys(ENGINES), coerce: oneOf('engine', Object.keys(ENGINES)), default: DEFAULT_ENGINE, describe: messages.gemm.engine },
        out: { type: 'string', alias: 'o', requiresArg: true, describe: messages.gemm.out },
        values: { type: 'string', requiresArg: true, describe: messages.gemm.values },
      })
      .example(messages.gemm.examples),
  handler: async (args) => {
    checkOutputs(args);
    const job = await loadGivenJob({ configPath: args.config, aPath: args.a, bPath: args.b, ...(args.c === undefined ? {} : { cPath: args.c }) }, args);
    const engine = ENGINES[args.engine]!;
    const progress = engine.steps === null ? null : runProgress(messages.progress.engine(args.engine, engine.steps));
    if (args.engine === 'verilator') process.stderr.write(messages.progress.verilatorEngine + '\n');
    const output = await runEngine(args.engine, job, progress?.step).finally(() => progress?.stop());
    const text = toJsonText(output);
    const files: [string, string | Uint8Array][] = [];
    if (args.out !== undefined) files.push([args.out, isNpyPath(args.out) ? codesNpy(output) : text]);
    if (args.values !== undefined) files.push([args.values, valuesNpy(output)]);
    for (const [path, data] of files) await writeFileAtomic(path, data);
    const wrote = files.map(([path]) => messages.gemm.wrote(path) + '\n').join('');
    // The JSON goes to stdout unless a file takes it; then stdout says what was written, else
    // stderr does, so that stdout stays one JSON document.
    if (args.out !== undefined && !isNpyPath(args.out)) process.stdout.write(wrote);
    else {
      process.stdout.write(text);
      process.stderr.write(wrote);
    }
  },
};

/** Refuses output paths that cannot be written before any work is done. */
function checkOutputs(args: Args): void {
  if (args.values !== undefined && !isNpyPath(args.values)) throw new LbamacError(messages.gemm.valuesNotNpy(args.values));
  if (args.out !== undefined && args.values !== undefined && resolve(args.out) === resolve(args.values)) throw new LbamacError(messages.gemm.sameFile(args.out));
  // An output over an input would lose the input (and, written first, change what is read).
  const inputs: [string, string | undefined][] = [['--config', args.config], ['--a', args.a], ['--b', args.b], ['--c', args.c]];
  for (const [outFlag, out] of [['--out', args.out], ['--values', args.values]] as const) {
    if (out === undefined) continue;
    const clash = inputs.find(([, path]) => path !== undefined && resolve(path) === resolve(out));
    if (clash !== undefined) throw new LbamacError(messages.gemm.overInput(outFlag, clash[0], out));
  }
  for (const path of [args.out, args.values]) if (path !== undefined) checkOutputFile(path);
}
