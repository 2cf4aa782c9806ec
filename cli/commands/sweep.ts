// `lbamac sweep`: the default sweep or a SWEEP.json, through the library's runSweep; progress on
// stderr, the files written on stdout. An interrupted run (Ctrl-C, SIGTERM from a cluster
// scheduler) leaves its journal whole, and the same command with --resume continues it.
import type { CommandModule } from 'yargs';
import { LbamacError } from '../../core/errors.js';
import { PRESET_NAMES, PRESETS } from '../../config/presets.js';
import { packageRoot } from '../../util/package-root.js';
import { DEFAULT_SWEEP } from '../../sweep/default.js';
import { loadSweepFile, parseShard, parseSweep } from '../../sweep/grid.js';
import { journalPath, type Selection } from '../../sweep/journal.js';
import { defaultOutDir } from '../../sweep/outdir.js';
import { defaultWorkers } from '../../sweep/pool.js';
import { runSweep } from '../../sweep/run.js';
import type { LockOwner } from '../../util/dir-lock.js';
import { messages } from '../messages.js';
import { wholeNumber } from '../options.js';
import { formatDuration, progressView } from '../progress.js';

interface Args {
  config?: string;
  out?: string;
  resume: boolean;
  force: boolean;
  shard?: string;
  only?: string;
  workers?: number;
}

export const MAX_WORKERS = 256;

/** The note when a lock left by a dead process is taken over (the run goes on). */
export function reportStaleLock(dir: string, owner: LockOwner): void {
  process.stderr.write(messages.sweep.staleLock(dir, owner.pid, owner.host, owner.since) + '\n');
}

function presetList(): string {
  return [messages.sweep.presetsTitle, ...PRESET_NAMES.map((n) => `  ${n}: ${PRESETS[n]!.summary}`)].join('\n');
}

export const sweepCommand: CommandModule<object, Args> = {
  command: messages.sweep.command,
  describe: messages.sweep.describe,
  builder: (y) =>
    y
      .usage(messages.sweep.usage)
      .options({
        config: { type: 'string', requiresArg: true, describe: messages.sweep.config },
        out: { type: 'string', alias: 'o', requiresArg: true, describe: messages.sweep.out },
        resume: { type: 'boolean', default: false, describe: messages.sweep.resume },
        force: { type: 'boolean', default: false, describe: messages.sweep.force },
        shard: { type: 'string', requiresArg: true, describe: messages.sweep.shard },
        only: { type: 'string', requiresArg: true, describe: messages.sweep.only },
        workers: { requiresArg: true, coerce: wholeNumber('workers', 1, MAX_WORKERS), describe: messages.sweep.workers },
      })
      .example(messages.sweep.examples)
      .epilogue(presetList()),
  handler: async (args) => {
    const config = args.config === undefined ? parseSweep(DEFAULT_SWEEP, 'the default sweep', packageRoot()) : loadSweepFile(args.config);
    const only = args.only === undefined ? null : args.only.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (only !== null && only.length === 0) throw new LbamacError(messages.sweep.onlyEmpty(args.only!));
    const selection: Selection = { shard: args.shard === undefined ? null : parseShard(args.shard), only };
    // Not yargs' conflicts(): it counts the options' default values as given.
    if (args.resume && args.force) throw new LbamacError(messages.sweep.resumeOrForce);
    const workers = args.workers ?? defaultWorkers();
    const outDir = args.out ?? defaultOutDir(config, selection);
    const view = progressView();
    const onSignal = (signal: NodeJS.Signals) => {
      view.stop();
      process.stderr.write(`\n${messages.sweep.interrupted(journalPath(outDir))}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let announced = false;
    try {
      const r = await runSweep({
        config,
        outDir,
        selection,
        resume: args.resume,
        force: args.force,
        onStaleLock: reportStaleLock,
        workers,
        onProgress: (p) => {
          if (!announced) {
            process.stderr.write(messages.sweep.started(config.name, p.total, p.resumed, Math.min(workers, Math.max(1, p.total - p.resumed)), outDir) + '\n');
            announced = true;
          }
          view.update(p);
        },
      });
      view.stop();
      const lines = [messages.sweep.finished(r.results.length, r.computed, r.resumed, formatDuration(process.uptime()))];
      // With --out the other shards' directories are the user's to name; by default they sit side by side.
      const mergeDirs = args.out !== undefined ? `${outDir} ${messages.sweep.otherShards}` : `${defaultOutDir(config, { shard: null, only: null })}/shard-*`;
      if (selection.shard) lines.push(messages.sweep.shardDone(journalPath(outDir), mergeDirs));
      else lines.push(...r.files.map(messages.sweep.wrote));
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      view.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
