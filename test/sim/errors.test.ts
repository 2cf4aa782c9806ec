// Bad arrays and bad jobs fail with an LbamacError naming the value and what is allowed, before the
// first cycle runs (the trace callback never fires).
import { expect } from 'chai';
import { LbamacError } from '../../core/errors.js';
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { buildArch } from '../../arch/build.js';
import { simulate, type SimJob, type SimOptions } from '../../sim/simulate.js';
import { randomJob } from '../../sim/stimulus.js';

const DENSE = resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10' });
const SPARSE = resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16', sparsity: '2:4' });
const ONE = 0x38; // 1.0 in e4m3

function fails(cfg: ArrayConfig, job: SimJob, re: RegExp, options: SimOptions = {}): void {
  let cycles = 0;
  let caught: unknown;
  try {
    simulate(buildArch(cfg), job, { ...options, onCycle: () => cycles++ });
  } catch (err) {
    caught = err;
  }
  expect(caught, 'an error').to.be.instanceOf(LbamacError);
  expect((caught as Error).message).to.match(re);
  expect(cycles, 'cycles run before the error').to.equal(0);
}

function archFails(cfg: ArrayConfig, re: RegExp): void {
  expect(() => buildArch(cfg)).to.throw(LbamacError, re);
}

describe('sim: bad configurations and jobs fail before the first cycle', () => {
  const A = [[ONE, ONE, ONE, ONE]];
  const B = [[ONE], [0], [0], [ONE]];

  it('a 2:4 job on a dense array, and a dense job on a 2:4 array', () => {
    fails(DENSE, { A, B, sparsity: '2:4' }, /a 2:4 sparse job cannot run on this array: it was built dense \(config sparsity = "dense"\); build it with "sparsity": "2:4"/);
    fails(SPARSE, { A, B, sparsity: 'dense' }, /a dense job cannot run on this array: it was built for 2:4 sparse weights/);
  });

  it('weights that break 2:4 on a 2:4 array', () => {
    fails(SPARSE, { A, B: [[ONE], [ONE], [ONE], [0]] }, /job: B breaks 2:4 sparsity: group 0 \(rows 0-3\), column 0 has 3 nonzeros \(rows 0, 1, 2\); at most 2 are allowed/);
  });

  it('zero-sized and oversized arrays (the schema says so for files; buildArch for configs made in code)', () => {
    expect(() => resolveConfig({ ...{ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' }, cols: 0 })).to.throw(LbamacError, /config\.cols: must be from 1 to 256 \(got 0\)/);
    archFails({ ...DENSE, rows: 0 }, /array: rows = 0 is not allowed; expected an integer from 1 to 256/);
    archFails({ ...DENSE, cols: 0 }, /array: cols = 0 is not allowed; expected an integer from 1 to 256/);
    archFails({ ...DENSE, rows: 257 }, /array: rows = 257 is not allowed; expected an integer from 1 to 256/);
    archFails({ ...DENSE, cols: 2.5 }, /array: cols = 2\.5 is not allowed/);
    archFails({ ...DENSE, chunk: 0 }, /array: chunk = 0 is not allowed; expected a positive integer or none/);
    archFails({ ...DENSE, product: null, pipeline: { stages: 4 } }, /pipeline\.stages = 4 is not allowed for product "exact": a fused multiply-add has no rounding inside its multiplier to cut at, so it takes at most 3 stages/);
    // A stage register that holds the exact product needs a format for it: fp32 products have none.
    archFails(resolveConfig({ rows: 2, cols: 2, a: 'fp32', w: 'fp32', product: 'fp32', acc: 'fp32', pipeline: { stages: 2 } }), /pipeline\.stages = 2 registers the exact product of fp32 and fp32, which needs 47 mantissa bits.*use pipeline\.stages = 1/);
    archFails({ ...DENSE, pipeline: { stages: 5 } }, /pipeline\.stages = 5 is not allowed; expected an integer from 0 to 4/);
    archFails(resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: { exp: 8, man: 7, bias: 70000 }, pipeline: { stages: 3 } }), /pipeline\.stages = 3 cuts the accumulator adder.*use pipeline\.stages = 2/);
  });

  it('a fixed-point accumulator: the stages it takes, an exact product without a format, a register wider than the simulator holds', () => {
    const fixed = (acc: { msb: number; lsb: number }, extra: Record<string, unknown> = {}) =>
      resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: acc, overflow: 'saturate', out: 'fp16' }, ...extra });
    archFails(fixed({ msb: 29, lsb: -18 }, { pipeline: { stages: 3 } }), /^array: pipeline\.stages = 3 is not allowed with a fixed-point accumulator: .*at most 2 stages \(after the multiplier, before it\); set pipeline\.stages to 0\.\.2$/);
    archFails(fixed({ msb: 29, lsb: -18 }, { product: 'e5m10', pipeline: { stages: 4 } }), /at most 3 stages \(after the multiplier, inside it, before it\); set pipeline\.stages to 0\.\.3$/);
    archFails(resolveConfig({ rows: 2, cols: 2, a: 'fp32', w: 'fp32', product: 'exact', acc: { fixed: { msb: 40, lsb: -40 }, overflow: 'wrap', out: 'fp32' } }), /^array: a fixed-point accumulator with product "exact" adds the exact product of fp32 and fp32, which has no format \(.+\); set product to a format/);
    // The generator takes any width; the simulator's float64 state holds 50-bit registers at most.
    const wide = buildArch(fixed({ msb: 29, lsb: -22 }));
    expect(wide.fixed!.width).to.equal(53);
    expect(() => simulate(wide, { A, B })).to.throw(LbamacError, /^simulator: the accumulator fixed\(msb 29, lsb -22, saturate\) into fp16 has a 53-bit register; .*at most 50 bits; compute D with `lbamac gemm --engine core`/);
    expect(buildArch(fixed({ msb: 29, lsb: -19 })).fixed!.width).to.equal(50);
    expect(simulate(buildArch(fixed({ msb: 29, lsb: -19 })), { A, B }).D).to.deep.equal([[0x4000]]);
  });

  it('zero-sized, ragged and mismatched jobs, and codes outside their format', () => {
    fails(DENSE, { A: [], B }, /job: A has no rows; every matrix needs at least one row and one column/);
    fails(DENSE, { A: [[]], B }, /job: A has rows of length 0/);
    fails(DENSE, { A: [[ONE, ONE], [ONE]], B: [[ONE], [ONE]] }, /job: A is ragged: row 1 has 1 elements, row 0 has 2/);
    fails(DENSE, { A, B: [[ONE], [ONE]] }, /job: A is 1×4 but B is 2×1; B needs K = 4 rows/);
    fails(DENSE, { A, B, C: [[0, 0]] }, /job: C is 1×2 but D is 1×1/);
    fails(DENSE, { A: [[ONE, 256, ONE, ONE]], B }, /job: A\[0\]\[1\] = 256 is not a code of e4m3 \(an integer from 0 to 255\)/);
    fails(DENSE, { A, B, C: [[4096]] }, /job: C\[0\]\[0\] = 4096 is not a code of e4m7_b10 \(an integer from 0 to 4095\)/);
  });

  it('a dot-product cell with more pipeline stages than its products\' register: not yet in the array', () => {
    const cell = { rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'fp16', lanes: 4, alignBits: 12 };
    expect(buildArch(resolveConfig({ ...cell, pipeline: { stages: 1 } })).pipeline.cuts).to.deep.equal(['after-mul']);
    archFails(resolveConfig({ ...cell, pipeline: { stages: 2 } }), /^array: pipeline\.stages = 2 is not yet allowed with lanes = 4 and alignBits = 12 \(a dot-product cell\): the array cuts a dot-product cell only after its multipliers \(one stage\); set pipeline\.stages to 0 or 1, or compute it with --engine core or --engine golden$/);
    archFails(resolveConfig({ ...cell, lanes: 1, product: 'exact', pipeline: { stages: 1 } }), /^array: pipeline\.stages = 1 is not yet allowed with lanes = 1 and alignBits = 12 \(a dot-product cell\): its products are exact, .*; set pipeline\.stages to 0, or compute it/);
  });

  it('a job whose tiles do not fit the cycle budget', () => {
    const job = randomJob(buildArch(DENSE), { M: 9, K: 40, N: 3 }, 1);
    // 5 × 2 tiles of 2R + K - 1 = 43 cycles each, plus C = 2 to drain: 432.
    fails(DENSE, job, /job: 9×40 by 40×3 needs 432 cycles on this 2×2 OS array, more than maxCycles = 100/, { maxCycles: 100 });
  });

  it('a random job of a bad shape', () => {
    const arch = buildArch(DENSE);
    expect(() => randomJob(arch, { M: 0, K: 1, N: 1 }, 1)).to.throw(LbamacError, /random job: M = 0 is not allowed; expected a positive integer/);
    expect(() => randomJob(arch, { M: 1 << 12, K: 1 << 12, N: 1 }, 1)).to.throw(LbamacError, /random job: 4096×4096 by 4096×1 has 16781312 elements; at most 16777216 are allowed/);
  });
});
