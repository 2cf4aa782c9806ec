// Progress of a long run on stderr: a cli-progress bar with an ETA when stderr is a terminal,
// otherwise (logs, CI, a cluster job's output file) one plain line every LINE_SECONDS and at
// the end, with no control characters.
import cliProgress from 'cli-progress';
import type { SweepProgress } from '../sweep/run.js';

const LINE_SECONDS = 15;

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export interface ProgressView {
  update(p: SweepProgress): void;
  stop(): void;
}

function texts(p: SweepProgress) {
  return { elapsedText: formatDuration(p.elapsedSeconds), etaText: p.done === p.total ? 'done' : p.etaSeconds === null ? '…' : formatDuration(p.etaSeconds) };
}

export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: 'sweep {bar} {value}/{total} points | {elapsedText} elapsed | ETA {etaText}', hideCursor: true, clearOnComplete: false, etaBuffer: 1 },
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
  return {
    update(p) {
      if (p.done < p.total && p.elapsedSeconds - last < LINE_SECONDS) return;
      last = p.elapsedSeconds;
      const t = texts(p);
      stream.write(`sweep: ${p.done}/${p.total} points, ${t.elapsedText} elapsed, ETA ${t.etaText}\n`);
    },
    stop() {},
  };
}
