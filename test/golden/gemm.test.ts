import { expect } from 'chai';
import fc from 'fast-check';
import { type ArrayConfig, outputFormat } from '../../config/resolve.js';
import { LbamacError } from '../../core/errors.js';
import { type Format, DETERMINISTIC_MODES, type RoundingMode, toFormat } from '../../core/format.js';
import { decode, quantize, toFloat64 } from '../../golden/exact.js';
import { addEvents, type EventCounts, goldenGemm, referenceGemm, referenceValues, zeroEvents } from '../../golden/gemm.js';

const fp16 = toFormat('fp16');
const fp32 = toFormat('fp32');
const e5m2 = toFormat('e5m2');
const e4m3 = toFormat('e4m3');

interface ConfigOverrides extends Partial<Omit<ArrayConfig, 'rounding'>> {
  rounding?: Partial<ArrayConfig['rounding']>;
  mode?: RoundingMode;
}

/** fp16 inputs, exact products, fp32 accumulator, unless overridden; `mode` sets every rounding. */
function config({ mode = 'rne', rounding, ...over }: ConfigOverrides = {}): ArrayConfig {
  const acc = over.acc ?? fp32;
  const modes = { input: mode, product: mode, acc: mode, total: rounding?.acc ?? mode, ...rounding };
  return { rows: 4, cols: 4, dataflow: 'os', a: fp16, w: fp16, product: null, acc, total: acc, chunk: null, sparsity: 'dense', ...over, rounding: modes };
}

const codes = (values: number[][], f: Format) => values.map((row) => row.map((x) => quantize(x, f, 'rne').code));
const values = (D: number[][], f: Format) => D.map((row) => row.map((c) => toFloat64(decode(c, f))));

/** D as values of the output format. */
function run(cfg: ArrayConfig, A: number[][], B: number[][], C?: number[][]) {
  const out = outputFormat(cfg);
  const r = goldenGemm(cfg, codes(A, cfg.a), codes(B, cfg.w), C && codes(C, out));
  return { ...r, values: values(r.D, out) };
}

function events(partial: Partial<EventCounts>): EventCounts {
  return { ...zeroEvents(), ...partial };
}

const ones = (k: number) => Array.from({ length: k }, () => [1]);

describe('golden/gemm: dense accumulation', () => {
  it('computes small integer products exactly, C included', () => {
    const r = run(config(), [[1, 2], [3, 4]], [[5, 6], [7, 8]], [[1, 1], [1, -100]]);
    expect(r.values).to.deep.equal([[20, 23], [44, -50]]);
    expect(r.events).to.deep.equal(zeroEvents());
    expect(referenceValues(config(), codes([[1, 2], [3, 4]], fp16), codes([[5, 6], [7, 8]], fp16))).to.deep.equal([[19, 22], [43, 50]]);
  });

  it('swamps small products into a narrow accumulator, by mode', () => {
    // e5m2 holds 1, 1.25, 1.5, 1.75: 1 + 0.125 is a tie.
    const A = [[1, 0.125, 0.125, 0.125, 0.125]];
    const rne = run(config({ acc: e5m2 }), A, ones(5));
    expect(rne.values).to.deep.equal([[1]]);
    expect(rne.events).to.deep.equal(events({ swamping: 4 }));
    const rna = run(config({ acc: e5m2, mode: 'rna' }), A, ones(5));
    expect(rna.values).to.deep.equal([[2]]); // 1.25, 1.5, 1.75, 2: every tie goes up
    expect(rna.events).to.deep.equal(zeroEvents());
    expect(run(config({ acc: e5m2, mode: 'rtz' }), A, ones(5)).events).to.deep.equal(events({ swamping: 4 }));
    expect(referenceValues(config({ acc: e5m2 }), codes(A, fp16), codes(ones(5), fp16))).to.deep.equal([[1.5]]);
  });

  it('starts from C: C = 1 swamps what would have counted had it come last', () => {
    const r = run(config({ acc: e5m2 }), [[0.125, 0.125, 0.125, 0.125]], ones(4), [[1]]);
    expect(r.values).to.deep.equal([[1]]);
    expect(r.events.swamping).to.equal(4);
  });

  it('rounds each product into the product format with its own mode', () => {
    expect(run(config({ product: e4m3 }), [[17]], [[1]]).values).to.deep.equal([[16]]);
    expect(run(config({ product: e4m3, rounding: { product: 'rna' } }), [[17]], [[1]]).values).to.deep.equal([[18]]);
    expect(run(config({ product: null }), [[17]], [[1]]).values).to.deep.equal([[17]]);
  });

  it('counts product overflow and underflow (a product rounded to +0 is not swamping)', () => {
    const r = run(config({ product: e4m3 }), [[300, 2 ** -5]], [[300], [2 ** -5]]);
    expect(r.values).to.deep.equal([[448]]);
    expect(r.events).to.deep.equal(events({ productOverflow: 1, productUnderflow: 1 }));
  });

  it('counts accumulator overflow and underflow', () => {
    const over = run(config({ acc: e5m2 }), [[57344, 57344]], [[1], [1]]);
    expect(over.values).to.deep.equal([[Infinity]]);
    expect(over.events).to.deep.equal(events({ accOverflow: 1 }));
    // 2^-18 vanishes on +0 in e5m2: an underflow and, the code being unchanged, swamping.
    const under = run(config({ acc: e5m2 }), [[2 ** -9]], [[2 ** -9]]);
    expect(under.values).to.deep.equal([[0]]);
    expect(under.events).to.deep.equal(events({ accUnderflow: 1, swamping: 1 }));
  });

  it('counts NaN made from inf × 0 and inf − inf once, fused or not; an infinite acc never swamps', () => {
    const fused = run(config(), [[Infinity, 1]], [[0], [1]]);
    expect(fused.values[0]![0]).to.be.NaN;
    expect(fused.events).to.deep.equal(events({ nan: 1 }));
    expect(run(config({ product: fp16 }), [[Infinity, 1]], [[0], [1]]).events).to.deep.equal(events({ nan: 1 }));
    expect(run(config({ product: fp16 }), [[Infinity, Infinity]], [[1], [-1]]).events).to.deep.equal(events({ nan: 1 }));
    expect(run(config(), [[NaN, 1]], [[0], [1]]).events).to.deep.equal(zeroEvents());
    expect(run(config(), [[Infinity, 1]], [[1], [1]]).events).to.deep.equal(zeroEvents());
  });

  it('returns C, or +0, when K = 0, keeping the sign of a -0 C', () => {
    for (const chunk of [null, 2]) {
      expect(goldenGemm(config({ chunk }), [[]], [], [[0x8000_0000]]).D).to.deep.equal([[0x8000_0000]]);
      expect(goldenGemm(config({ chunk }), [[], []], [], [[5], [6]]).D).to.deep.equal([[5], [6]]);
    }
    expect(goldenGemm(config(), [[]], []).D).to.deep.equal([[]]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => goldenGemm(config(), [[0, 0]], [[0]])).to.throw(LbamacError, /A row 0 has 2 entries/);
    expect(() => goldenGemm(config(), [[0]], [[0, 0]], [[0]])).to.throw(LbamacError, /C row 0 has 1 entries/);
  });
});

describe('golden/gemm: chunked accumulation', () => {
  const A = [[1, 0.125, 0.125, 0.125, 0.125]];

  it('adds each full chunk and the final partial one into the total', () => {
    // Chunks [1, .125] → 1 (swamped), [.125, .125] → .25, [.125]: total 1, 1.25, then the tie 1.375 → 1.5.
    const r = run(config({ acc: e5m2, chunk: 2 }), A, ones(5));
    expect(r.values).to.deep.equal([[1.5]]);
    expect(r.events).to.deep.equal(events({ swamping: 1 }));
    expect(run(config({ acc: e5m2, chunk: 5 }), A, ones(5)).values).to.deep.equal([[1]]);
    expect(run(config({ acc: e5m2, chunk: 7 }), A, ones(5)).values).to.deep.equal([[1]]);
  });

  it('uses the chunk-total format and mode, and starts the total at C', () => {
    const r = run(config({ acc: e5m2, total: fp16, chunk: 2 }), A, ones(5));
    expect(r.values).to.deep.equal([[1.375]]);
    expect(r.D).to.deep.equal([[0x3d80]]); // a code of fp16, the output format
    const withC = run(config({ acc: e5m2, total: fp16, chunk: 2 }), [[0.125, 0.125, 0.125, 0.125]], ones(4), [[1]]);
    expect(withC.values).to.deep.equal([[1.5]]);
    const rtzTotal = config({ acc: e5m2, total: e5m2, chunk: 2, rounding: { acc: 'rne', total: 'rtz' } });
    expect(run(rtzTotal, A, ones(5)).values).to.deep.equal([[1.25]]); // 1.375 truncates
  });

  it('adds no empty chunk when K is a multiple of the chunk size: a -0 total survives', () => {
    // Each product -2^-18 rounds to -0 in e5m2, so every chunk is -0 and -0 + -0 stays -0;
    // an extra +0 chunk would make the total +0.
    for (const K of [2, 3, 4]) {
      const cfg = config({ acc: e5m2, chunk: 2 });
      const A1 = [Array.from({ length: K }, () => 2 ** -9)];
      const r = goldenGemm(cfg, codes(A1, fp16), codes(Array.from({ length: K }, () => [-(2 ** -9)]), fp16), [[0x80]]);
      expect(r.D, `K = ${K}`).to.deep.equal([[0x80]]);
    }
  });
});

describe('golden/gemm: 2:4 sparse weights', () => {
  it('selects A by the slot indices and pads A with +0 beyond K', () => {
    const A = [[1, 2, 3, 4, 5, 6]];
    const B = [[0], [10], [0], [100], [1000], [0]];
    const cfg = config({ sparsity: '2:4' });
    expect(run(cfg, A, B).values).to.deep.equal([[2 * 10 + 4 * 100 + 5 * 1000]]);
  });

  it('pads A with +0: the padding term turns a -0 accumulator into +0', () => {
    // K = 1: slots (A[0]·+0, pad·+0). -1·+0 = -0 keeps C = -0; only a +0 pad gives -0 + +0 = +0.
    const r = goldenGemm(config({ sparsity: '2:4' }), codes([[-1]], fp16), codes([[0]], fp16), [[0x8000_0000]]);
    expect(r.D).to.deep.equal([[0]]);
  });

  it('applies section 3 to the slots alone: a +0 slot is a term too, which moves chunk boundaries', () => {
    // Group 0 has one nonzero, so its slots are (1·1, 7·+0); group 1 gives (0.125, 0.125).
    // Chunks of 2: [1, 0] and [0.125, 0.125] → total 1.25. Without the +0 term the chunks would
    // be [1, 0.125] → 1 (a tie) and [0.125] → total 1.125 → 1.
    const A = [[1, 7, 7, 7, 0.125, 0.125, 7, 7]];
    const B = [[1], [0], [0], [0], [1], [1], [0], [0]];
    const r = run(config({ acc: e5m2, chunk: 2, sparsity: '2:4' }), A, B);
    expect(r.values).to.deep.equal([[1.25]]);
    expect(r.events).to.deep.equal(zeroEvents());
  });

  it('rejects a B that breaks 2:4, naming the group', () => {
    expect(() => goldenGemm(config({ sparsity: '2:4' }), [[1, 1, 1, 1]], codes(ones(4), fp16))).to.throw(LbamacError, /group 0 \(rows 0-3\), column 0 has 4 nonzeros/);
  });

  /** Random e4m3 matrices (no NaN), B pruned to 2:4. */
  const problem = fc
    .record({ M: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 0, max: 13 }), N: fc.integer({ min: 1, max: 3 }) })
    .chain(({ M, K, N }) => {
      const code = fc.integer({ min: 0, max: 0xfe }).map((c) => (c === 0x7f ? 0 : c));
      const matrix = (r: number, c: number) => fc.array(fc.array(code, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
      // Not rdn: there +0 + -0 is -0, so a zero term's sign can show, and the free slots' +0 weights
      // differ from dense B's zeros of either sign.
      const modes = DETERMINISTIC_MODES.filter((m) => m !== 'rdn');
      return fc.tuple(matrix(M, K), matrix(K, N).map(prune24), fc.constantFrom<RoundingMode>(...modes), fc.constantFrom<Format | null>(null, e5m2, fp16));
    });

  function prune24(B: number[][]): number[][] {
    return B.map((row, k) => row.map((c, j) => (B.slice(k - (k % 4), k).filter((r) => decode(r[j]!, e4m3).kind !== 'zero').length >= 2 ? 0 : c)));
  }

  it('equals the dense computation when B is 2:4 (fp32 accumulator: no signed-zero subtleties)', () => {
    fc.assert(
      fc.property(problem, ([A, B, mode, product]) => {
        const base = { a: e4m3, w: e4m3, acc: fp32, product, mode };
        const dense = goldenGemm(config(base), A, B);
        const sparse = goldenGemm(config({ ...base, sparsity: '2:4' }), A, B);
        expect(sparse).to.deep.equal(dense);
      }),
      { numRuns: 300 },
    );
  });
});

describe('golden/gemm: properties', () => {
  const e2m1 = toFormat('e2m1'); // finite values 0.5 .. 3: every sum below is exact in fp16
  const finiteCode = fc.constantFrom(0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13);
  const problem = fc
    .record({ M: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 0, max: 24 }), N: fc.integer({ min: 1, max: 3 }) })
    .chain(({ M, K, N }) => {
      const matrix = (r: number, c: number) => fc.array(fc.array(finiteCode, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
      return fc.tuple(matrix(M, K), matrix(K, N), fc.option(matrix(M, N), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }));
    });

  it('equals the exact reference whenever every rounding is exact, chunked or not, fused or not', () => {
    fc.assert(
      fc.property(problem, fc.constantFrom<Format | null>(null, fp16), ([A, B, Craw, chunk], product) => {
        const cfg = config({ a: e2m1, w: e2m1, acc: fp16, product, chunk, mode: 'rtz' });
        const C = Craw && Craw.map((row) => row.map((c) => quantize(toFloat64(decode(c, e2m1)), fp16, 'rne').code));
        const r = goldenGemm(cfg, A, B, C);
        const ref = referenceValues(cfg, A, B, C);
        expect(values(r.D, fp16).map((row) => row.map((x) => x + 0))).to.deep.equal(ref.map((row) => row.map((x) => x + 0)));
        expect(r.events).to.deep.equal(zeroEvents());
      }),
      { numRuns: 300 },
    );
  });

  it('fused equals unfused when the product format holds every product exactly', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 10 })).chain(([M, K]) =>
          fc.tuple(
            fc.array(fc.array(fc.integer({ min: 0, max: 0xfe }), { minLength: K, maxLength: K }), { minLength: M, maxLength: M }),
            fc.array(fc.array(fc.integer({ min: 0, max: 0xfe }), { minLength: 2, maxLength: 2 }), { minLength: K, maxLength: K }),
            fc.constantFrom<RoundingMode>(...DETERMINISTIC_MODES),
          ),
        ),
        ([A, B, mode]) => {
          const base = { a: e4m3, w: e4m3, acc: e5m2, mode, chunk: 3 };
          expect(goldenGemm(config({ ...base, product: fp32 }), A, B)).to.deep.equal(goldenGemm(config({ ...base, product: null }), A, B));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports per-output events that add up to the total', () => {
    const r = run(config({ acc: e5m2, product: e4m3 }), [[1, 0.125, 300], [2 ** -5, 1, 1]], [[1, 2 ** -5], [1, 1], [300, 1]]);
    const sum = r.perOutput.flat().reduce(addEvents, zeroEvents());
    expect(sum).to.deep.equal(r.events);
    expect(r.events.swamping + r.events.productOverflow + r.events.productUnderflow).to.be.above(2);
  });

  it('referenceGemm is exact: huge and tiny terms do not absorb each other', () => {
    const cfg = config({ a: fp32, w: fp32 });
    const ref = referenceGemm(cfg, codes([[2 ** 100, 2 ** -100, -(2 ** 100)]], fp32), codes([[1], [1], [1]], fp32));
    expect(toFloat64(ref[0]![0]!)).to.equal(2 ** -100);
  });
});
