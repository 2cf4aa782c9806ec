// The core's fixed-point accumulator (core/fixed-acc.ts) against the golden model (golden/fixed.ts)
// on random configurations: formats over their whole range, registers from 3 bits (saturating and
// wrapping all the time) to hundreds, every rounding mode at every step, special and corner codes,
// exact and rounded products, with and without C. Both kernels are checked, the bigint one also on
// the narrow registers the float64 one normally takes.
import { expect } from 'chai';
import fc from 'fast-check';
import type { ArrayConfig } from '../../config/resolve.js';
import { roundingCode } from '../../core/arith.js';
import { fixedKernel, type FixedPath, fixedPath } from '../../core/fixed-acc.js';
import { makeFixed } from '../../core/fixed.js';
import { denseTerms, coreGemm } from '../../core/gemm.js';
import { type Format, makeFormat, DETERMINISTIC_MODES } from '../../core/format.js';
import { EVENT_NAMES } from '../../core/events.js';
import { EVI } from '../../core/mac.js';
import { goldenGemm } from '../../golden/gemm.js';
import { arbCode, arbFormatSpec } from '../support/arbitraries.js';

const arbMode = fc.constantFrom(...DETERMINISTIC_MODES);

/** A register placed anywhere from below the smallest product to above the largest. */
const arbConfig: fc.Arbitrary<ArrayConfig> = fc
  .record({
    a: arbFormatSpec,
    w: arbFormatSpec,
    product: fc.option(arbFormatSpec, { freq: 2 }),
    out: arbFormatSpec,
    lsbAt: fc.double({ min: -0.1, max: 1.1, noNaN: true }),
    width: fc.oneof(fc.integer({ min: 3, max: 12 }), fc.integer({ min: 13, max: 53 }), fc.integer({ min: 54, max: 300 })),
    overflow: fc.constantFrom('saturate' as const, 'wrap' as const),
    modes: fc.record({ input: arbMode, product: arbMode, acc: arbMode }),
  })
  .map(({ a: as, w: ws, product: ps, out: os, lsbAt, width, overflow, modes }) => {
    const a = makeFormat(as);
    const w = makeFormat(ws);
    const acc = makeFormat(os);
    const lo = a.emin - a.man + w.emin - w.man;
    const hi = a.emax + w.emax;
    const lsb = Math.round(lo + lsbAt * (hi - lo));
    return {
      rows: 1,
      cols: 1,
      dataflow: 'os',
      a,
      w,
      product: ps === null ? null : makeFormat(ps),
      acc,
      fixed: makeFixed({ msb: lsb + width - 2, lsb, overflow }),
      total: acc,
      chunk: null,
      sparsity: 'dense',
      rounding: { ...modes, total: modes.acc },
    } satisfies ArrayConfig;
  });

const matrix = (rows: number, cols: number, f: Format) => fc.array(fc.array(arbCode(f), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

const arbJob = arbConfig.chain((cfg) =>
  fc
    .record({ M: fc.integer({ min: 1, max: 2 }), K: fc.integer({ min: 0, max: 10 }), N: fc.integer({ min: 1, max: 2 }), withC: fc.boolean() })
    .chain(({ M, K, N, withC }) => fc.tuple(fc.constant(cfg), matrix(M, K, cfg.a), matrix(K, N, cfg.w), withC ? matrix(M, N, cfg.acc) : fc.constant(undefined))),
);

/** One output through a kernel of the given path, as coreGemm's loop drives it. */
function kernelDot(cfg: ArrayConfig, path: FixedPath, A: number[][], B: number[][], C: number[][] | undefined, i: number, j: number) {
  const k = fixedKernel(
    {
      a: cfg.a,
      w: cfg.w,
      product: cfg.product,
      fixed: cfg.fixed!,
      out: cfg.acc,
      modeProduct: roundingCode(cfg.rounding.product),
      modeAcc: roundingCode(cfg.rounding.acc),
      modeInput: roundingCode(cfg.rounding.input),
    },
    path,
  );
  const s = k.newState();
  const t = denseTerms(B, j);
  k.start(s, C ? C[i]![j]! : 0);
  t.aIndex.forEach((x, n) => k.step(s, A[i]![x]!, t.weight[n]!));
  const D = k.finish(s);
  return { D, events: Object.fromEntries(EVENT_NAMES.map((e) => [e, k.events[EVI[e]]!])) };
}

describe('core/fixed-acc: against golden/fixed on random configurations', () => {
  it('coreGemm gives the golden D and events, output by output (both paths taken)', () => {
    const paths = new Set<FixedPath>();
    fc.assert(
      fc.property(arbJob, ([cfg, A, B, C]) => {
        paths.add(fixedPath({ ...cfg, out: cfg.acc, fixed: cfg.fixed! }));
        const golden = goldenGemm(cfg, A, B, C);
        const core = coreGemm(cfg, A, B, C);
        expect(core.D).to.deep.equal(golden.D);
        expect(core.perOutput).to.deep.equal(golden.perOutput);
      }),
      { numRuns: 1500 },
    );
    expect([...paths].sort()).to.deep.equal(['bigint', 'float64']);
  });

  it('the bigint kernel gives the golden D and events on every configuration, narrow registers included', () => {
    fc.assert(
      fc.property(arbJob, ([cfg, A, B, C]) => {
        const golden = goldenGemm(cfg, A, B, C);
        golden.D.forEach((row, i) =>
          row.forEach((d, j) => {
            const r = kernelDot(cfg, 'bigint', A, B, C, i, j);
            expect(r.D, `D[${i}][${j}]`).to.equal(d);
            expect(r.events, `events of D[${i}][${j}]`).to.deep.equal(golden.perOutput[i]![j]);
          }),
        );
      }),
      { numRuns: 800 },
    );
  });

  it('2:4 weights: the slots in order, padding +0 included', () => {
    fc.assert(
      fc.property(arbJob, ([cfg, A, B, C]) => {
        // 2:4 needs at most two nonzeros in every aligned group of four rows: zero the rest.
        const sparse = { ...cfg, sparsity: '2:4' as const };
        const pruned = B.map((row, k) => row.map((c) => (k % 4 < 2 ? c : 0)));
        expect(coreGemm(sparse, A, pruned, C).perOutput).to.deep.equal(goldenGemm(sparse, A, pruned, C).perOutput);
        expect(coreGemm(sparse, A, pruned, C).D).to.deep.equal(goldenGemm(sparse, A, pruned, C).D);
      }),
      { numRuns: 300 },
    );
  });
});
