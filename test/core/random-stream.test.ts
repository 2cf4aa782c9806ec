// The random stream of rsr (core/random-stream.ts) and the statistics of the rounding it drives:
// Threefry-2x32's known answers, which block and word each draw takes, the draws' uniformity and
// independence from one counter to the next, and stochastic rounding's mean error (0, within 4σ)
// and variance (p(1 − p)·ulp², within 4σ of its own sampling error) over 10^5 roundings and more.
import { expect } from 'chai';
import { convert, RSR, toFloat64 } from '../../core/arith.js';
import { makeFormat } from '../../core/format.js';
import { draw, drawFraction, type RandomSpec, threefry2x32 } from '../../core/random-stream.js';
import * as exact from '../../golden/exact.js';

const N = 100_000;

describe('core/random-stream: Threefry-2x32', () => {
  // Random123's known-answer vectors (its tests/kat_vectors): counter, key, 13 and 20 rounds.
  const KAT: [[number, number], [number, number], number, [number, number]][] = [
    [[0, 0], [0, 0], 13, [0x9d1c5ec6, 0x8bd50731]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], 13, [0xfd36d048, 0x2d17272c]],
    [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], 13, [0xba3e4725, 0xf27d669e]],
    [[0, 0], [0, 0], 20, [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], 20, [0x1cb996fc, 0xbb002be7]],
    [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], 20, [0xc4923a9c, 0x483df7a0]],
  ];
  for (const [counter, key, rounds, want] of KAT) {
    it(`${rounds} rounds, counter ${counter.map((x) => x.toString(16))}, key ${key.map((x) => x.toString(16))}`, () => {
      expect(threefry2x32(counter, key, rounds)).to.deep.equal(want);
    });
  }
});

describe('core/random-stream: the draws', () => {
  const spec: RandomSpec = { bits: 8, seed: 0x243f6a88 };

  it('a term takes the two words of block (counter (t, i), key (seed, j)): the product word 0, the accumulator word 1, each its top R bits', () => {
    const [w0, w1] = threefry2x32([7, 3], [spec.seed, 5]);
    expect(draw(spec, 'product', 3, 5, 7)).to.equal(w0 >>> 24);
    expect(draw(spec, 'acc', 3, 5, 7)).to.equal(w1 >>> 24);
    expect(draw({ bits: 32, seed: spec.seed }, 'acc', 3, 5, 7)).to.equal(w1);
    expect(draw({ bits: 1, seed: spec.seed }, 'product', 3, 5, 7)).to.equal(w0 >>> 31);
  });

  it('a chunk total takes word 0 of the block keyed by the complemented seed', () => {
    const [w0] = threefry2x32([7, 3], [~spec.seed >>> 0, 5]);
    expect(draw(spec, 'total', 3, 5, 7)).to.equal(w0 >>> 24);
  });

  it('drawFraction is r / 2^R, in [0, 1)', () => {
    expect(drawFraction(spec, 'acc', 1, 2, 3)).to.equal(draw(spec, 'acc', 1, 2, 3) / 256);
    const top = { bits: 32, seed: 0 };
    for (let t = 0; t < 1000; t++) expect(drawFraction(top, 'product', 0, 0, t)).to.be.within(0, 1 - 2 ** -32);
  });

  it(`${N} draws along t, along i and along j: uniform (mean and variance within 4σ), no lag-1 correlation beyond 4σ`, () => {
    const top = { bits: 32, seed: 12345 };
    const along: [string, (n: number) => number][] = [
      ['t', (n) => drawFraction(top, 'acc', 0, 0, n)],
      ['i', (n) => drawFraction(top, 'product', n, 0, 0)],
      ['j', (n) => drawFraction(top, 'total', 0, n, 0)],
    ];
    for (const [name, u] of along) {
      let s = 0;
      let s2 = 0;
      let lag = 0;
      let prev = u(0);
      for (let n = 0; n < N; n++) {
        const x = n === 0 ? prev : u(n);
        s += x;
        s2 += (x - 0.5) ** 2;
        if (n > 0) lag += (x - 0.5) * (prev - 0.5);
        prev = x;
      }
      // Uniform on [0, 1): mean 1/2 (σ² = 1/12), E(x - 1/2)² = 1/12 (σ² = 1/180), and the lag-1
      // products have mean 0 and σ² = 1/144 when successive draws are independent.
      expect(Math.abs(s / N - 0.5), `mean along ${name}`).to.be.below(4 * Math.sqrt(1 / 12 / N));
      expect(Math.abs(s2 / N - 1 / 12), `variance along ${name}`).to.be.below(4 * Math.sqrt(1 / 180 / N));
      expect(Math.abs(lag / (N - 1)), `lag-1 correlation along ${name}`).to.be.below(4 * Math.sqrt(1 / 144 / N));
    }
  });
});

describe('rsr: unbiased rounding with variance p(1 − p)·ulp²', () => {
  // fp32 values rounded into e5m2 (the last kept bit of a value in [1, 2) is 1/4), each with its own
  // draw: output (n, 0), term 0, as the n-th output's accumulator rounding would take.
  const fp32 = makeFormat({ exp: 8, man: 23 });
  const e5m2 = makeFormat({ exp: 5, man: 2 });
  const ulp = 0.25;

  /** Rounds 1 + f·ulp (f in [0, 1), a multiple of 2^-20) n times with R random bits: the errors in ulps. */
  function errors(bits: number, fraction: (n: number) => number, count = N): Float64Array {
    const spec = { bits, seed: 7 };
    const out = new Float64Array(count);
    for (let n = 0; n < count; n++) {
      const x = 1 + fraction(n) * ulp;
      const code = convert(fp32, f32code(x), e5m2, RSR, drawFraction(spec, 'acc', n, 0, 0));
      out[n] = (toFloat64(code, e5m2) - x) / ulp;
    }
    return out;
  }

  function f32code(x: number): number {
    return new Uint32Array(new Float32Array([x]).buffer)[0]!;
  }

  const mean = (e: Float64Array) => e.reduce((s, x) => s + x, 0) / e.length;

  for (const [p, bits] of [[5 / 16, 8], [1 / 2, 1], [3 / 8, 3], [734003 / 2 ** 20, 32]] as const) {
    it(`a fixed fraction p = ${p} of an ulp, R = ${bits}: rounds up with probability p; mean error 0 and variance p(1 − p) within 4σ over ${N} roundings`, () => {
      const e = errors(bits, () => p);
      // Each error is 1 − p with probability p, else −p: mean 0, variance v = p(1 − p); the squared
      // error has variance p(1 − p)^4 + (1 − p)p^4 − v².
      const v = p * (1 - p);
      const v4 = p * (1 - p) ** 4 + (1 - p) * p ** 4 - v * v;
      expect(Math.abs(mean(e)), 'mean error (ulps)').to.be.below(4 * Math.sqrt(v / N));
      const sq = e.reduce((s, x) => s + x * x, 0) / N;
      expect(Math.abs(sq - v), 'mean squared error (ulps²)').to.be.at.most(4 * Math.sqrt(v4 / N));
    });
  }

  it(`random fractions on the R-bit grid (R = 8): mean error within 4σ of 0, mean squared error within 4σ of Σ p(1 − p) / n, over ${N} roundings`, () => {
    const frac = (n: number) => ((n * 2654435761) % 256) / 256;
    const e = errors(8, frac);
    let v = 0;
    let v4 = 0;
    for (let n = 0; n < N; n++) {
      const p = frac(n);
      const pv = p * (1 - p);
      v += pv;
      v4 += p * (1 - p) ** 4 + (1 - p) * p ** 4 - pv * pv;
    }
    expect(Math.abs(mean(e))).to.be.below((4 * Math.sqrt(v)) / N);
    const sq = e.reduce((s, x) => s + x * x, 0);
    expect(Math.abs(sq - v)).to.be.below(4 * Math.sqrt(v4));
  });

  it('fractions finer than the R-bit grid are truncated onto it first: the mean error is then the truncation, −(f − ⌊f·2^R⌋/2^R)', () => {
    // f = 1/4 + 1/32 with R = 2: the draw sees 1/4 and rounds up with probability 1/4; the expected
    // error is (1/4)(1 − f) + (3/4)(−f) = 1/4 − f = −1/32 ulp.
    const f = 1 / 4 + 1 / 32;
    const e = errors(2, () => f);
    const sd = Math.sqrt((1 / 4) * (3 / 4) / N);
    expect(Math.abs(mean(e) + 1 / 32)).to.be.below(4 * sd);
    expect(Math.abs(mean(e))).to.be.above(4 * sd);
  });

  it('the golden model makes the same roundings (10^4 of them)', () => {
    const spec = { bits: 5, seed: 99 };
    for (let n = 0; n < 10_000; n++) {
      const x = f32code(1 + ((n % 97) / 97) * ulp);
      const want = exact.convert(fp32, x, e5m2, 'rsr', { r: draw(spec, 'acc', n, 0, 0), bits: 5 }).code;
      expect(convert(fp32, x, e5m2, RSR, drawFraction(spec, 'acc', n, 0, 0)), `n = ${n}`).to.equal(want);
    }
  });
});
