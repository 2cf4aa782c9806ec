// `lbamac merge DIR...`: the shards of one sweep (their journals) joined into full outputs.
import type { CommandModule } from 'yargs';
import { mergeSweeps } from '../../sweep/run.js';
import { messages } from '../messages.js';
import { wholeNumber } from '../options.js';
import { MAX_WORKERS, reportStaleLock } from './sweep.js';

interface Args {
  dirs: string[];
  out?: string;
  force: boolean;
  workers?: number;
}

export const mergeCommand: CommandModule<object, Args> = {
  command: messages.merge.command,
  describe: messages.merge.describe,
  builder: (y) =>
    y
      .usage(messages.merge.usage)
      .positional('dirs', { type: 'string', array: true, describe: messages.merge.dirs })
      .options({
        out: { type: 'string', alias: 'o', requiresArg: true, describe: messages.merge.out },
        force: { type: 'boolean', default: false, describe: messages.merge.force },
        workers: { requiresArg: true, coerce: wholeNumber('workers', 1, MAX_WORKERS), describe: messages.merge.workers },
      })
      .example(messages.merge.examples) as never,
  handler: async (args) => {
    const r = await mergeSweeps(args.dirs, {
      ...(args.out === undefined ? {} : { outDir: args.out }),
      ...(args.workers === undefined ? {} : { workers: args.workers }),
      force: args.force,
      onStaleLock: reportStaleLock,
    });
    process.stdout.write([`${r.results.length} points of the sweep ${r.sweep.config.name}`, ...r.files.map(messages.sweep.wrote)].join('\n') + '\n');
  },
};
