import { expect } from 'chai';
import { parseJob, type JobNames } from '../../engine/job.js';

const NAMES: JobNames = { config: 'cfg.json', a: 'a.json', b: 'b.json', c: 'c.json' };
const CFG = { a: 'e4m3', w: 'e5m2', product: 'exact', acc: { exp: 4, man: 7, bias: 10 }, total: 'fp16', chunk: 2 };

function parse(a: unknown, b: unknown, c?: unknown, cfg: unknown = CFG) {
  return parseJob(cfg, a, b, c, NAMES);
}

describe('engine/job parseJob', () => {
  it('converts numbers into each operand format with the input rounding mode', () => {
    // 1.0625 lies halfway between e4m3 neighbours 1 and 1.125: rne keeps 1 (0x38), rna goes to 1.125 (0x39).
    expect(parse([[1.0625]], [[1]]).A).to.deep.equal([[0x38]]);
    expect(parse([[1.0625]], [[1]], undefined, { ...CFG, rounding: { input: 'rna' } }).A).to.deep.equal([[0x39]]);
    // The directed modes look at the sign; rod sets the last bit of 1 (even) to reach 1.125.
    const input = (mode: string) => parse([[1.01, -1.01]], [[1], [1]], undefined, { ...CFG, rounding: { input: mode } }).A;
    expect(input('rdn')).to.deep.equal([[0x38, 0xb9]]);
    expect(input('rup')).to.deep.equal([[0x39, 0xb8]]);
    expect(input('rod')).to.deep.equal([[0x39, 0xb9]]);
    // e4m3 saturates at 448; e5m2 1.0 is 0x3c.
    expect(parse([[1000, -1000]], [[1], [1]]).A).to.deep.equal([[0x7e, 0xfe]]);
    expect(parse([[1]], [[1]]).B).to.deep.equal([[0x3c]]);
  });

  it('counts per matrix what the conversion did: overflow (with the largest), underflow, rounding; bit patterns are not conversions', () => {
    const job = parse([[1e6, 'inf', 1.1, 2 ** -11, '0x7f', 1]], [[1], [1], [1], [1], [1], [1]], [[70000]]);
    expect(job.conversions.A).to.deep.equal({ format: 'e4m3', values: 5, overflow: 2, underflow: 1, inexact: 1, largestOverflow: { value: Infinity, became: 448 } });
    expect(job.conversions.B).to.include({ format: 'e5m2', values: 6, overflow: 0, underflow: 0, inexact: 0 });
    expect(job.conversions.C).to.deep.equal({ format: 'fp16', values: 1, overflow: 1, underflow: 0, inexact: 0, largestOverflow: { value: 70000, became: Infinity } });
    expect(parse([[1]], [[1]]).conversions).not.to.have.property('C');
  });

  it('reads bit patterns as given, and nan / inf / -inf by the format rules', () => {
    const job = parse([['0x7F', 'nan', 'inf']], [['0x7c'], ['nan'], ['-inf']]);
    expect(job.A).to.deep.equal([[0x7f, 0x7f, 0x7e]]); // e4m3 has no inf: saturates
    expect(job.B).to.deep.equal([[0x7c], [0x7e], [0xfc]]);
  });

  it('converts C into the output format: the chunk-total format when chunked', () => {
    expect(parse([[1]], [[1]], [[1]]).C).to.deep.equal([[0x3c00]]); // fp16 1.0
    const { chunk: _chunk, total: _total, ...plain } = CFG;
    expect(parse([[1]], [[1]], [[1]], plain).C).to.deep.equal([[0x500]]); // e4m7_b10 1.0: field 10
  });

  it('accepts -0 and keeps its sign', () => {
    expect(parse([[-0]], [[0]]).A).to.deep.equal([[0x80]]);
  });

  const errors: [string, () => unknown, RegExp][] = [
    ['a non-array', () => parse({ rows: 1 }, [[1]]), /^a\.json: expected a matrix as a JSON array of rows/],
    ['no rows', () => parse([], [[1]]), /^a\.json: the matrix has no rows/],
    ['an empty row', () => parse([[]], [[1]]), /^a\.json: row 0 is empty/],
    ['a row that is not an array', () => parse([[1], 2], [[1]]), /^a\.json: row 1 is not an array of elements \(got 2\)/],
    ['a ragged row', () => parse([[1, 2], [1, 2, 3]], [[1], [1]]), /^a\.json: row 1 has 3 elements but row 0 has 2/],
    ['inner dimensions', () => parse([[1, 2]], [[1]]), /A \(a\.json\) is 1×2 and B \(b\.json\) is 1×1/],
    ['C shape', () => parse([[1]], [[1, 2]], [[1]]), /C \(c\.json\) is 1×1 but D = A·B is 1×2/],
    ['a too wide pattern', () => parse([[1]], [['0x1ff']]), /^b\.json at \[0\]\[0\]: bit pattern "0x1ff" does not fit e5m2 \(8 bits\); allowed 0x0 to 0xff/],
    ['a too wide pattern in C (fp16)', () => parse([[1]], [[1]], [['0x10000']]), /^c\.json at \[0\]\[0\]: bit pattern "0x10000" does not fit fp16 \(16 bits\); allowed 0x0 to 0xffff/],
    ['null', () => parse([[null]], [[1]]), /^a\.json at \[0\]\[0\]: null is not an element/],
    ['"NaN" spelled otherwise', () => parse([[1]], [['NaN']]), /^b\.json at \[0\]\[0\]: "NaN" is not an element; expected a finite number, a "0x…" bit pattern, "nan", "inf" or "-inf"/],
    ['a config error', () => parse([[1]], [[1]], undefined, { ...CFG, acc: 'fp8' }), /^cfg\.json: config\.acc: "fp8" is not a format/],
    [
      'a 2:4 violation in a later group',
      () => parse([[1, 1, 1, 1, 1, 1, 1, 1]], [[1, 0], [0, 1], [0, 0], [0, 0], [0, 1], [0, 1], [0, 'nan'], [0, 0]], undefined, { ...CFG, sparsity: '2:4' }),
      /^b\.json: 2:4 sparsity violated in column 1, group 1 \(rows 4-7\): 3 nonzeros at rows 4, 5, 6 \(values 1, 1, "nan"\)/,
    ],
  ];
  for (const [name, run, message] of errors) {
    it(`rejects ${name} with a message naming file, position and value`, () => {
      expect(run).to.throw(message).with.property('name', 'LbamacError');
    });
  }

  it('lets 2:4 groups with at most two nonzeros through, a padded last group included', () => {
    const job = parse([[1, 1, 1, 1, 1, 1]], [[1], [-0], [0], [2], [3], [4]], undefined, { ...CFG, sparsity: '2:4' });
    expect(job.B.length).to.equal(6);
  });
});
