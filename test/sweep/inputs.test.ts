// sweep/point.ts and report/csv.ts: what quantizing a point's inputs did, in its record and its CSV row.
import { expect } from 'chai';
import { resultsCsv, CSV_COLUMNS } from '../../report/csv.js';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { runPoint } from '../../sweep/point.js';

const INPUT_COLUMNS = ['aOverflow', 'aUnderflow', 'aInexact', 'wOverflow', 'wUnderflow', 'wInexact'];

function csvCells(csv: string): Record<string, string> {
  const row = csv.trim().split('\n')[1]!.split(',');
  return Object.fromEntries(INPUT_COLUMNS.map((name) => [name, row[CSV_COLUMNS.indexOf(name)]!]));
}

describe('sweep: input conversion counts', () => {
  const sweep = expandSweep(
    parseSweep({ name: 's', workloads: [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 4, K: 32, N: 4, seed: 1 }], blocks: [{ name: 'b', preset: 'lba' }] }),
  );
  const result = runPoint(sweep.points[0]!);

  it('a point counts every quantized value of A and of B once; FP8 inputs round', () => {
    expect(result.inputs!.a.values).to.equal(4 * 32);
    expect(result.inputs!.w.values).to.equal(32 * 4);
    expect(result.inputs!.a.inexact).to.be.greaterThan(0);
    expect(result.inputs!.a.overflow).to.equal(0); // the per-tensor scale puts the largest magnitude in [1, 2)
  });

  it('results.csv carries the counts; a record from an older journal, without them, leaves the cells empty', () => {
    const cells = csvCells(resultsCsv([result]));
    expect(cells.aInexact).to.equal(String(result.inputs!.a.inexact));
    expect(cells.wUnderflow).to.equal(String(result.inputs!.w.underflow));
    const { inputs: _inputs, ...old } = result;
    expect(Object.values(csvCells(resultsCsv([old])))).to.deep.equal(['', '', '', '', '', '']);
  });
});
