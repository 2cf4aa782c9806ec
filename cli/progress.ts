// Progress of a long run on stderr: a cli-progress bar with an ETA when stderr is a terminal,
// otherwise (logs, CI, a cluster job's output file) one plain line every LINE_SECONDS and at
// the end, with no control characters.
import cliProgress from 'cli-progress';
import { messages } from './messages.js';

const LINE_SECONDS = 15;
/** Runs shorter than this show no progress at all: most jobs finish before anyone waits. */
const QUIET_SECONDS = 2;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Where a run stands (a sweep's SweepProgress is one). */
export interface Progress {
  done: number;
  total: number;
  elapsedSeconds: number;
  /** Estimated seconds left; null while there is nothing to estimate from. */
  etaSeconds: number | null;
}

/** What is running and what it counts, e.g. "sweep" and "points". */
export interface ProgressLabels {
  label: string;
  unit: string;
}

export interface ProgressView {
  update(p: Progress): void;
  stop(): void;
}

function texts(p: Progress) {
  return { elapsedText: formatDuration(p.elapsedSeconds), etaText: p.done === p.total ? 'done' : p.etaSeconds === null ? '…' : formatDuration(p.etaSeconds) };
}

export function progressView(stream: NodeJS.WriteStream = process.stderr, labels: ProgressLabels = messages.progress.sweep): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${labels.label} {bar} {value}/{total} ${labels.unit} | {elapsedText} elapsed | ETA {etaText}`, hideCursor: true, clearOnComplete: false, etaBuffer: 1 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        if (!started) {
          bar.start(p.total, p.done, texts(p));
          started = true;
        } else bar.update(p.done, texts(p));
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = -Infinity;
  let finished = false;
  return {
    update(p) {
      // The end is reported once, however many updates arrive at done = total.
      if (finished || (p.done < p.total && p.elapsedSeconds - last < LINE_SECONDS)) return;
      finished = p.done === p.total;
      last = p.elapsedSeconds;
      const t = texts(p);
      stream.write(`${labels.label}: ${p.done}/${p.total} ${labels.unit}, ${t.elapsedText} elapsed, ETA ${t.etaText}\n`);
    },
    stop() {},
  };
}

export interface RunProgress {
  /** Called by the run as it goes: `done` of `total` steps. */
  step(done: number, total: number): void;
  stop(): void;
}

export interface RunProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Seconds on some monotonic clock. */
  clock?: () => number;
  quietSeconds?: number;
}

/** Progress of one engine run: silent for its first QUIET_SECONDS, then a progressView with
 *  an ETA extrapolated from the steps done so far. */
export function runProgress(labels: ProgressLabels, options: RunProgressOptions = {}): RunProgress {
  const clock = options.clock ?? (() => performance.now() / 1000);
  const quiet = options.quietSeconds ?? QUIET_SECONDS;
  const start = clock();
  let view: ProgressView | null = null;
  return {
    step(done, total) {
      const elapsed = clock() - start;
      if (view === null && elapsed < quiet) return;
      view ??= progressView(options.stream, labels);
      view.update({ done, total, elapsedSeconds: elapsed, etaSeconds: done > 0 ? (elapsed / done) * (total - done) : null });
    },
    stop() {
      view?.stop();
    },
  };
}
