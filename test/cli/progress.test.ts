import { expect } from 'chai';
import { Writable } from 'node:stream';
import { formatDuration, progressView } from '../../cli/progress.js';
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
    view.stop();
    expect(c.text()).to.equal('sweep: 0/10 points, 0s elapsed, ETA …\nsweep: 5/10 points, 16s elapsed, ETA 15s\nsweep: 10/10 points, 20s elapsed, ETA done\n');
  });
});
