// core/dot.ts against golden/dot.ts on random configurations of dot-product cells, and the one-lane,
// exact-alignment cell against the multiply-add kernel it must equal.
import { expect } from 'chai';
import fc from 'fast-check';
import { type ArrayConfig, outputFormat } from '../../config/resolve.js';
import { isZeroCode, roundingCode } from '../../core/arith.js';
import { DotKernel } from '../../core/dot.js';
import { type Format, DETERMINISTIC_MODES, type RoundingMode, toFormat } from '../../core/format.js';
import { coreGemm } from '../../core/gemm.js';
import type { AlignBits } from '../../core/lanes.js';
import { MacKernel } from '../../core/mac.js';
import { goldenGemm } from '../../golden/gemm.js';
import { arbCode, arbFormat } from '../support/arbitraries.js';

const arbMode: fc.Arbitrary<RoundingMode> = fc.constantFrom(...DETERMINISTIC_MODES);

/** Narrow windows (3..30 bits) most often; "exact"; and windows too wide for float64 integers. */
const arbAlign: fc.Arbitrary<AlignBits> = fc.oneof(
  { arbitrary: fc.integer({ min: 3, max: 30 }), weight: 5 },
  { arbitrary: fc.constant('exact' as const), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 },
  { arbitrary: fc.integer({ min: 45, max: 70 }), weight: 1 },
);

// One lane with a finite window is a cell too (a multiply-add whose adder truncates).
const arbLanes = fc.constantFrom(1, 2, 4, 8, 16, 32);

/** At most two nonzeros in every aligned group of 4 rows of every column: the later ones become +0. */
function prune24(B: number[][], w: Format): number[][] {
  return B.map((row, k) => row.map((c, j) => (B.slice(k - (k % 4), k).filter((r) => !isZeroCode(r[j]!, w)).length >= 2 ? 0 : c)));
}

/** Codes of f; with `zeros`, half of them zeros of either sign, so that whole steps of zeros (and
 *  the sign rules of their sums) come up. */
function matrix(f: Format, rows: number, cols: number, zeros = false): fc.Arbitrary<number[][]> {
  const code = zeros ? fc.oneof(arbCode(f), fc.constantFrom(0, f.signBit)) : arbCode(f);
  return fc.array(fc.array(code, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
}

const BASE = { rows: 4, cols: 4, dataflow: 'os', sparsity: 'dense' } as const;

interface Problem {
  cfg: ArrayConfig;
  A: number[][];
  B: number[][];
  C: number[][] | undefined;
}

const arbProblem: fc.Arbitrary<Problem> = fc
  .record({
    a: arbFormat,
    w: arbFormat,
    product: fc.option(arbFormat, { nil: null }),
    acc: arbFormat,
    total: arbFormat,
    lanes: arbLanes,
    alignBits: arbAlign,
    modes: fc.tuple(arbMode, arbMode, arbMode),
    chunkSteps: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    sparse: fc.boolean(),
    M: fc.integer({ min: 1, max: 2 }),
    K: fc.integer({ min: 0, max: 70 }),
    N: fc.integer({ min: 1, max: 2 }),
    withC: fc.boolean(),
    zeros: fc.boolean(),
  })
  .chain((p) => {
    const cfg: ArrayConfig = {
      ...BASE,
      a: p.a,
      w: p.w,
      product: p.product,
      acc: p.acc,
      total: p.chunkSteps === null ? p.acc : p.total,
      rounding: { input: 'rne', product: p.modes[0], acc: p.modes[1], total: p.modes[2] },
      chunk: p.chunkSteps === null ? null : p.chunkSteps * p.lanes,
      sparsity: p.sparse ? '2:4' : 'dense',
      lanes: p.lanes,
      alignBits: p.alignBits,
    };
    return fc.record({
      cfg: fc.constant(cfg),
      A: matrix(p.a, p.M, p.K, p.zeros),
      B: matrix(p.w, p.K, p.N, p.zeros).map((B) => (p.sparse ? prune24(B, p.w) : B)),
      C: p.withC ? matrix(outputFormat(cfg), p.M, p.N, p.zeros) : fc.constant(undefined),
    });
  });

function describeProblem({ cfg }: Problem): string {
  return (
    `a ${cfg.a.name}, w ${cfg.w.name}, product ${cfg.product?.name ?? 'exact'} (${cfg.rounding.product}), acc ${cfg.acc.name} (${cfg.rounding.acc}), ` +
    `lanes ${cfg.lanes}, alignBits ${cfg.alignBits}, chunk ${cfg.chunk} into ${cfg.total.name} (${cfg.rounding.total}), ${cfg.sparsity}`
  );
}

describe('core/dot: the dot-product cell against the golden model', function () {
  this.timeout(600_000);

  it('random formats, lanes, windows, modes, specials, chunks, 2:4 and C: the same D and events per output', () => {
    fc.assert(
      fc.property(arbProblem, (p) => {
        const core = coreGemm(p.cfg, p.A, p.B, p.C);
        const golden = goldenGemm(p.cfg, p.A, p.B, p.C);
        expect(core.D, describeProblem(p)).to.deep.equal(golden.D);
        expect(core.perOutput, describeProblem(p)).to.deep.equal(golden.perOutput);
      }),
      { numRuns: 1000 },
    );
  });

  it('fp8 inputs into the narrow accumulators the cell is for, K up to 300: the same D and events', () => {
    const named = (names: string[]) => fc.constantFrom(...names.map((n) => toFormat(n)));
    const fp8 = fc
      .record({
        a: named(['e4m3', 'e5m2']),
        w: named(['e4m3', 'e5m2']),
        product: fc.option(named(['fp16', 'e4m7_b12_ftz_none', 'e5m3']), { nil: null }),
        acc: named(['e4m7_b10', 'e4m7_b10_ftz_none', 'e5m3', 'fp16', 'bf16']),
        lanes: arbLanes,
        alignBits: arbAlign,
        mode: arbMode,
        chunkSteps: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
        K: fc.integer({ min: 1, max: 300 }),
      })
      .chain((p) => {
        const cfg: ArrayConfig = {
          ...BASE,
          a: p.a,
          w: p.w,
          product: p.product,
          acc: p.acc,
          total: p.acc,
          rounding: { input: 'rne', product: 'rne', acc: p.mode, total: p.mode },
          chunk: p.chunkSteps === null ? null : p.chunkSteps * p.lanes,
          lanes: p.lanes,
          alignBits: p.alignBits,
        };
        return fc.record({ cfg: fc.constant(cfg), A: matrix(p.a, 2, p.K), B: matrix(p.w, p.K, 2), C: fc.constant(undefined) });
      });
    fc.assert(
      fc.property(fp8, (p) => {
        const core = coreGemm(p.cfg, p.A, p.B);
        const golden = goldenGemm(p.cfg, p.A, p.B);
        expect(core.D, describeProblem(p)).to.deep.equal(golden.D);
        expect(core.perOutput, describeProblem(p)).to.deep.equal(golden.perOutput);
      }),
      { numRuns: 150 },
    );
  });
});

describe('core/dot: one lane with exact alignment is the multiply-add cell', () => {
  it('DotKernel.step equals MacKernel.step, result and events, on random formats and codes', () => {
    fc.assert(
      fc.property(
        fc
          .record({ a: arbFormat, w: arbFormat, product: fc.option(arbFormat, { nil: null }), acc: arbFormat, modes: fc.tuple(arbMode, arbMode) })
          .chain((f) => fc.tuple(fc.constant(f), fc.array(fc.tuple(arbCode(f.a), arbCode(f.w)), { minLength: 1, maxLength: 12 }), arbCode(f.acc))),
        ([f, terms, c]) => {
          const spec = { a: f.a, w: f.w, product: f.product, acc: f.acc, modeProduct: roundingCode(f.modes[0]), modeAcc: roundingCode(f.modes[1]) };
          const mac = new MacKernel(spec);
          const dot = new DotKernel({ lanes: 1, alignBits: 'exact' }, new MacKernel(spec));
          let accMac = c;
          let accDot = c;
          for (const [a, w] of terms) {
            accMac = mac.step(accMac, a, w);
            accDot = dot.step(accDot, [a], [w]);
            const what = `${f.a.name} × ${f.w.name} → ${f.product?.name ?? 'exact'} (${f.modes[0]}) + ${f.acc.name} (${f.modes[1]})`;
            expect(accDot, what).to.equal(accMac);
            expect(Array.from(dot.events), what).to.deep.equal(Array.from(mac.events));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
