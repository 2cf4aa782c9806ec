import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { loadConfig, loadJob, parseJob, type JobNames, type JobOptions } from '../../engine/job.js';
import { NpyArray } from '../../engine/npy.js';
import { tempDir } from '../support/tmp.js';

const NAMES: JobNames = { config: 'cfg.json', a: 'a.json', b: 'b.json', c: 'c.json' };
const CFG = { a: 'e4m3', w: 'e5m2', product: 'exact', acc: { exp: 4, man: 7, bias: 10 }, total: 'fp16', chunk: 2 };

function parse(a: unknown, b: unknown, c?: unknown, cfg: unknown = CFG, options: JobOptions = {}) {
  return parseJob(cfg, a, b, c, NAMES, options);
}

const SPARSE = { ...CFG, sparsity: '2:4' };
const transpose = (m: unknown[][]) => m[0]!.map((_, j) => m.map((row) => row[j]));

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
    // "-0", as gemm writes a negative zero into values: the sign bit alone.
    expect(parse([['-0', 0]], [['-0'], ['0x0']]).A).to.deep.equal([[0x80, 0]]);
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
    ['inner dimensions', () => parse([[1, 2]], [[1]]), /^shape mismatch: A \(a\.json\) is M×K = 1×2 but B \(b\.json\) is K×N = 1×1: K is 2 in A and 1 in B$/],
    ['C shape', () => parse([[1]], [[1, 2]], [[1]]), /^shape mismatch: C \(c\.json\) is 1×1 but D = A·B is M×N = 1×2$/],
    ['a too wide pattern', () => parse([[1]], [['0x1ff']]), /^b\.json at \[0\]\[0\]: bit pattern "0x1ff" does not fit e5m2 \(8 bits\); allowed 0x0 to 0xff/],
    ['a too wide pattern in C (fp16)', () => parse([[1]], [[1]], [['0x10000']]), /^c\.json at \[0\]\[0\]: bit pattern "0x10000" does not fit fp16 \(16 bits\); allowed 0x0 to 0xffff/],
    ['null', () => parse([[null]], [[1]]), /^a\.json at \[0\]\[0\]: null is not an element/],
    ['"NaN" spelled otherwise', () => parse([[1]], [['NaN']]), /^b\.json at \[0\]\[0\]: "NaN" is not an element; expected a finite number, a "0x…" bit pattern, "nan", "inf", "-inf" or "-0"/],
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

  it('takes .npy arrays as it takes JSON: float elements as values, uint elements as codes', () => {
    const json = parse([[1.0625, -3]], [[1], ['0x3c']], [[2]]);
    const npy = parse(new NpyArray('float32', [1, 2], Float64Array.from([1.0625, -3])), new NpyArray('uint8', [2, 1], Float64Array.from([0x3c, 0x3c])), new NpyArray('float16', [1, 1], Float64Array.from([2])));
    expect(npy.A).to.deep.equal(json.A);
    expect(npy.B).to.deep.equal([[0x3c], [0x3c]]);
    expect(npy.C).to.deep.equal(json.C);
    expect(npy.conversions.B.values).to.equal(0);
  });

  describe('bLayout nk: B given as N×K, as a PyTorch Linear weight', () => {
    const A = [[1, 2, 3]];
    const B = [[1, 0.5], [-2, 4], [0.25, 8]]; // K×N = 3×2
    it('gives the job of the transposed B in the default layout (kn)', () => {
      const kn = parse(A, B);
      const nk = parse(A, transpose(B), undefined, CFG, { bLayout: 'nk' });
      expect(nk.B).to.deep.equal(kn.B);
      expect(parse(A, B, undefined, CFG, { bLayout: 'kn' }).B).to.deep.equal(kn.B);
    });

    it('names shapes as the files have them and suggests the other layout where it would fit', () => {
      expect(() => parse(A, transpose(B))).to.throw(
        'shape mismatch: A (a.json) is M×K = 1×3 but B (b.json) is K×N = 2×3: K is 3 in A and 2 in B; if B is stored N×K (as a PyTorch Linear weight is), add --b-layout nk',
      );
      expect(() => parse(A, B, undefined, CFG, { bLayout: 'nk' })).to.throw(
        'shape mismatch: A (a.json) is M×K = 1×3 but B (b.json) is N×K = 3×2 (--b-layout nk): K is 3 in A and 2 in B; B looks K×N: leave out --b-layout nk',
      );
      expect(() => parse(A, [[1, 2]], undefined, CFG, { bLayout: 'nk' })).to.throw(/is N×K = 1×2 \(--b-layout nk\): K is 3 in A and 2 in B$/);
    });

    it('names the 2:4 violation by the row and columns of the N×K file', () => {
      expect(() => parse([[1, 1, 1, 1]], [[1, 0, 2, 3]], undefined, SPARSE, { bLayout: 'nk' })).to.throw(/^b\.json: 2:4 sparsity violated in row 0, group 0 \(columns 0-3\): 3 nonzeros at columns 0, 2, 3 \(values 1, 2, 3\)/);
    });
  });

  describe('prune 2:4', () => {
    it('prunes a dense B by magnitude instead of rejecting it, after transposing an N×K one, and says how many weights it zeroed', () => {
      const job = parse([[1, 1, 1, 1]], [[1, -4, 2, 3]], undefined, SPARSE, { bLayout: 'nk', prune: '2:4' });
      expect(job.pruned).to.deep.equal({ zeroed: 2, nonzeros: 4 });
      expect(job.B).to.deep.equal(parse([[1, 1, 1, 1]], [[0], [-4], [0], [3]], undefined, SPARSE).B);
      expect(job.conversions.B.values).to.equal(4); // every weight was converted, pruned or not
    });

    it('zeroes nothing in a B that is 2:4 sparse already', () => {
      expect(parse([[1, 1, 1, 1]], [[1], [0], [0], [3]], undefined, SPARSE, { prune: '2:4' }).pruned).to.deep.equal({ zeroed: 0, nonzeros: 2 });
      expect(parse([[1]], [[1]], undefined, SPARSE).pruned).to.equal(undefined);
    });

    it('is refused for a dense array, whose B would then be multiplied in full all the same', () => {
      expect(() => parse([[1]], [[1]], undefined, CFG, { prune: '2:4' }))
        .to.throw('--prune 2:4 prunes B for a 2:4 sparse array, but cfg.json configures a dense one; add "sparsity": "2:4" to the config, or leave out --prune to multiply by every weight')
        .with.property('name', 'LbamacError');
    });
  });
});

describe('engine/job loadConfig', () => {
  it('reads a config saved with a UTF-8 byte-order mark as the same config', async () => {
    const dir = tempDir('bom');
    const text = JSON.stringify({ rows: 2, cols: 2, ...CFG });
    writeFileSync(join(dir, 'plain.json'), text);
    writeFileSync(join(dir, 'bom.json'), '\uFEFF' + text);
    expect(await loadConfig(join(dir, 'bom.json'))).to.deep.equal(await loadConfig(join(dir, 'plain.json')));
  });
});

describe('engine/job loadJob: files that are no matrix', () => {
  const dir = tempDir('not-matrix');
  const cfg = join(dir, 'cfg.json');
  const b = join(dir, 'b.json');
  writeFileSync(cfg, JSON.stringify(CFG));
  writeFileSync(b, '[[1]]');
  const refused = async (name: string, bytes: string | Buffer): Promise<string> => {
    writeFileSync(join(dir, name), bytes);
    const err = await loadJob({ configPath: cfg, aPath: join(dir, name), bPath: b }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(LbamacError);
    return err!.message;
  };

  it('a .npz (zip) archive and a CSV file are named for what they are', async () => {
    expect(await refused('a.npz', Buffer.from('PK\x03\x04\x14\x00\x00', 'latin1'))).to.match(/a\.npz: a zip archive \(a NumPy \.npz\?\), not a matrix; expected a JSON array of rows or a \.npy file/);
    expect(await refused('a.csv', '1,2\n3,4\n')).to.match(/a\.csv: looks like CSV/);
    expect(await refused('one.csv', '1.5,2')).to.match(/one\.csv: looks like CSV/);
  });

  it('broken JSON: one printable line, whatever bytes the file holds', async () => {
    const message = await refused('bin.json', Buffer.from([1, 2, 0x5b, 0xff, 10, 0x5d]));
    expect(message).to.match(/bin\.json: not valid JSON \(/);
    expect(message).not.to.match(/[\x00-\x1f\x7f-\x9f\ufffd]/);
  });
});
