import { expect } from 'chai';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { formatDuration, progressView, runProgress } from '../../cli/progress.js';
import { fixture, lbamac } from './run.js';
import type { SweepProgress } from '../../sweep/run.js';

/** A stream that records what is written; a terminal when `tty`. */
function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(w, { isTTY: tty, columns: 120 });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => text };
}

const at = (done: number, elapsedSeconds: number, etaSeconds: number | null): SweepProgress => ({ done, total: 10, resumed: 0, elapsedSeconds, etaSeconds, last: null });

describe('cli/progress', () => {
  it('formats durations', () => {
    expect([0, 59.4, 61, 3599, 3600, 7322].map(formatDuration)).to.deep.equal(['0s', '59s', '1m01s', '59m59s', '1h00m', '2h02m']);
  });

  it('on a terminal: a bar with the count, the elapsed time and the ETA', () => {
    const c = capture(true);
    const view = progressView(c.stream);
    view.update(at(0, 0, null));
    view.update(at(4, 12, 18));
    view.stop();
    expect(c.text()).to.include('4/10 points').and.include('12s elapsed').and.include('ETA 18s');
    expect(c.text()).to.include('\x1b'); // cursor control: the bar redraws in place
  });

  it('otherwise: plain lines, at most one per 15 s, and always the last', () => {
    const c = capture(false);
    const view = progressView(c.stream);
    view.update(at(0, 0, null));
    view.update(at(1, 5, 45)); // too soon after the first line
    view.update(at(5, 16, 15));
    view.update(at(10, 20, 0));
    view.update(at(10, 21, 0)); // the run's final report after its last step: the end once
    view.stop();
    expect(c.text()).to.equal('sweep: 0/10 points, 0s elapsed, ETA …\nsweep: 5/10 points, 16s elapsed, ETA 15s\nsweep: 10/10 points, 20s elapsed, ETA done\n');
  });

  it('an engine run: nothing for its first 2 s, then its steps with an ETA from the pace so far, and the end', () => {
    const c = capture(false);
    let now = 100;
    const progress = runProgress({ label: 'golden', unit: 'rows' }, { stream: c.stream, clock: () => now });
    now = 101.5;
    progress.step(10, 64); // a quick run never says a word
    expect(c.text()).to.equal('');
    now = 104;
    progress.step(16, 64); // 4 s for 16 rows: 12 s for the other 48
    now = 116;
    progress.step(64, 64);
    progress.stop();
    expect(c.text()).to.equal('golden: 16/64 rows, 4s elapsed, ETA 12s\ngolden: 64/64 rows, 16s elapsed, ETA done\n');
  });

  it('lbamac gemm: a golden run of several seconds reports progress on stderr, never on stdout', function () {
    this.timeout(120_000);
    // 64×192·192×64 takes the BigInt golden model several seconds on any machine this runs on.
    const values = (rows: number, cols: number) => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (((i * 7 + j * 13) % 17) - 8) / 4));
    const dir = fixture({ 'cfg.json': { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' }, 'a.json': values(64, 192), 'b.json': values(192, 64) });
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--engine', 'golden');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^golden: \d+\/64 rows, \d+s elapsed, ETA \S+$/m);
    expect(r.stderr).to.match(/^golden: 64\/64 rows, \d+s elapsed, ETA done$/m);
    expect(JSON.parse(r.stdout).D).to.have.length(64);
  });
});
