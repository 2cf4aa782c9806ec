// The compiled MacKernel (tables, float64 fast path) against the generic core, step by step:
// same accumulator code, same events.
import { expect } from 'chai';
import fc from 'fast-check';
import { add, fromFloat64, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, fma, isFiniteCode, isFiniteNonzeroCode, mul, RNE, RTZ, RUP, roundingCode, type RoundingCode, status } from '../../core/arith.js';
import { type Format, makeFormat, parseFormatName, DETERMINISTIC_MODES } from '../../core/format.js';
import { MacKernel, type MacSpec } from '../../core/mac.js';
import { arbFormatSpec } from '../support/arbitraries.js';

/** docs/arithmetic.md §3, one term, written out with the generic operations. */
function referenceStep(s: MacSpec, acc: number, a: number, w: number, ev: number[]): number {
  let out: number;
  let nonzeroAddend: boolean;
  if (s.product === null) {
    out = fma(s.a, a, s.w, w, s.acc, acc, s.acc, s.modeAcc);
    nonzeroAddend = isFiniteNonzeroCode(a, s.a) && isFiniteNonzeroCode(w, s.w);
  } else {
    const p = mul(s.a, a, s.w, w, s.product, s.modeProduct);
    if (status.flags & EV_OVERFLOW) ev[0]!++;
    if (status.flags & EV_TINY) ev[1]!++;
    if (status.flags & EV_INVALID) ev[5]!++;
    out = add(s.acc, acc, s.product, p, s.acc, s.modeAcc);
    nonzeroAddend = isFiniteNonzeroCode(p, s.product);
  }
  if (status.flags & EV_OVERFLOW) ev[2]!++;
  if (status.flags & EV_ZERO) ev[3]!++;
  if (status.flags & EV_INVALID) ev[5]!++;
  if (out === acc && nonzeroAddend && isFiniteCode(acc, s.acc)) ev[4]!++;
  return out;
}

function compare(spec: MacSpec, accs: Iterable<number>, pairs: [number, number][]): void {
  const k = new MacKernel(spec);
  if (spec.a.width <= 8 && spec.acc.name === 'e4m7_b10') expect(k.fast, 'fast path engaged').to.equal(true);
  const ev = [0, 0, 0, 0, 0, 0];
  for (const acc of accs) {
    for (const [a, w] of pairs) {
      const want = referenceStep(spec, acc, a, w, ev);
      const got = k.step(acc, a, w);
      if (got !== want) throw new Error(`acc 0x${acc.toString(16)} + 0x${a.toString(16)}*0x${w.toString(16)}: kernel 0x${got.toString(16)}, generic 0x${want.toString(16)}`);
    }
  }
  // The six counters (EVI order); the slot after them only says that events came since the last look.
  expect(Array.from(k.events.subarray(0, 6))).to.deep.equal(ev);
}

function randomPairs(fa: Format, fw: Format, n: number, seed: number): [number, number][] {
  let s = seed;
  const r = (m: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % m);
  return Array.from({ length: n }, () => [r(2 * fa.signBit), r(2 * fw.signBit)] as [number, number]);
}

/** Every mode, by name and as the kernel's code. */
const MODES = DETERMINISTIC_MODES.map((name) => [name, roundingCode(name)] as const);

describe('core/mac MacKernel vs the generic core', () => {
  const e4m3 = parseFormatName('e4m3');
  for (const [label, product] of [['e5m10 product', parseFormatName('fp16')], ['exact product', null]] as const) {
    for (const [name, mode] of MODES) {
      // Each pair meets all 4096 accumulators; rdn, rup and rod take 300 pairs (1.2 million terms
      // per mode) to keep the suite's time.
      const n = mode <= RTZ ? 1500 : 300;
      it(`e4m3 x e4m3, ${label}, e4m7 bias 10 acc, ${name}: every acc code x ${n} pairs`, () => {
        const acc = parseFormatName('e4m7_b10');
        const accs = Array.from({ length: 2 * acc.signBit }, (_, i) => i);
        compare({ a: e4m3, w: e4m3, product, acc, modeProduct: mode, modeAcc: mode }, accs, randomPairs(e4m3, e4m3, n, 7 + mode));
      });
    }
  }

  // Wide accumulators take the TwoSum path: spans beyond 53 bits, mantissas up to 23 bits.
  const fp32 = parseFormatName('fp32');
  const wide: [string, MacSpec['product'], Format, Format][] = [
    ['e4m3 x e4m3 fused into fp32', null, e4m3, fp32],
    ['e4m3 x e4m3 -> e5m10 into fp32', parseFormatName('fp16'), e4m3, fp32],
    ['e4m3 x e4m3 fused into bf16', null, e4m3, parseFormatName('bf16')],
    ['fp32 x fp32 fused into fp32', null, fp32, fp32],
    ['fp32 x fp32 -> fp32 into fp32', fp32, fp32, fp32],
  ];
  for (const [label, product, input, acc] of wide) {
    for (const [name, mode] of MODES) {
      it(`${label}, ${name}: TwoSum path, random accumulators and binade edges`, () => {
        const spec: MacSpec = { a: input, w: input, product, acc, modeProduct: mode, modeAcc: mode };
        expect(new MacKernel(spec).path).to.equal('two-sum');
        const accs = randomPairs(acc, acc, 100, 11 + mode).map(([x]) => x);
        // Accumulators of the products' magnitude, where partial cancellation and ties happen.
        const [mid] = randomPairs(input, input, 1, 3);
        for (const [x, y] of randomPairs(input, input, 100, 17 + mode)) {
          accs.push(fma(input, x, input, y, acc, mid![0], acc, mode), fma(input, x, input, y, acc, 0, acc, mode));
        }
        // Powers of two and their neighbours, where rounding to odd steps down a binade.
        for (const e of [acc.emin, acc.emin + 1, -3, 0, 1, 5, acc.emax - 1, acc.emax]) {
          const p2 = (e + acc.bias) * acc.hidden;
          accs.push(p2, p2 + 1, p2 - 1, acc.signBit + p2, acc.signBit + p2 - 1);
        }
        // Products far below the accumulator's last bit, of both signs, and exact ones.
        const pairs = randomPairs(input, input, 300, 5 * mode + 1);
        for (const x of [0, 1, 3, input.hidden, input.hidden + 1, 5 * input.hidden]) {
          for (const y of [1, 2, input.hidden, 3 * input.hidden]) pairs.push([x, y], [x + input.signBit, y], [x, y + input.signBit]);
        }
        compare(spec, accs, pairs);
      });
    }
  }

  it('fp32 fused: a float64 sum on a tie whose error term decides (rounding to odd matters)', () => {
    // acc = 1 + 2^-23, a·w = 2^-24 - 2^-70: the float64 sum is the tie 1 + 2^-23 + 2^-24, the exact
    // sum lies just below it, so rne and rna keep acc; ties-to-even or away on the float64 would not.
    // Only rup leaves acc (odd: rod keeps it too).
    const x = fromFloat64(1 + 2 ** -23, fp32, RNE);
    const y = fromFloat64(2 ** -24 * (1 - 2 ** -23), fp32, RNE);
    for (const [name, mode] of MODES) {
      const spec: MacSpec = { a: fp32, w: fp32, product: null, acc: fp32, modeProduct: mode, modeAcc: mode };
      compare(spec, [x, x + fp32.signBit], [[x, y], [x + fp32.signBit, y], [x, y + fp32.signBit]]);
      expect(new MacKernel(spec).step(x, x, y), name).to.equal(mode === RUP ? x + 1 : x);
    }
  });

  it('fp32 fused: a product far below the last bit moves acc only in the directed mode\'s direction', () => {
    // 1 ± 2^-60 is 1 in float64 and in fp32 to nearest; the error term alone says which way to go.
    const one = fromFloat64(1, fp32, RNE);
    const tiny = fromFloat64(2 ** -30, fp32, RNE);
    const expected: Record<string, [number, number]> = {
      rdn: [one, one - 1], // 1 + 2^-60 stays; 1 - 2^-60 steps down a binade to 1 - 2^-24
      rup: [one + 1, one],
      rod: [one + 1, one - 1], // 1 is even: either way the odd neighbour
    };
    for (const [name, mode] of MODES.filter(([n]) => n in expected)) {
      const k = new MacKernel({ a: fp32, w: fp32, product: null, acc: fp32, modeProduct: mode, modeAcc: mode });
      expect(k.path).to.equal('two-sum');
      expect([k.step(one, tiny, tiny), k.step(one, tiny, tiny + fp32.signBit)], name).to.deep.equal(expected[name]);
      expect(k.step(one + fp32.signBit, tiny, tiny + fp32.signBit), `${name}, negative`).to.equal(expected[name === 'rdn' ? 'rup' : name === 'rup' ? 'rdn' : name]![0] + fp32.signBit);
    }
  });

  it('random configurations: narrow (exact-sum path), wide (two-sum path) and beyond float64 (generic)', () => {
    const small = arbFormatSpec.filter((f) => f.exp + f.man <= 7).map((f) => makeFormat(f));
    const accFmt = arbFormatSpec.filter((f) => f.exp + f.man <= 15).map((f) => makeFormat(f));
    const anyFmt = arbFormatSpec.map((f) => makeFormat(f));
    const mode = fc.constantFrom(...MODES.map(([, code]) => code)) as fc.Arbitrary<RoundingCode>;
    fc.assert(
      fc.property(fc.oneof(small, anyFmt), fc.oneof(small, anyFmt), fc.option(fc.oneof(accFmt, anyFmt)), fc.oneof(accFmt, anyFmt), mode, mode, fc.integer(), (a, w, product, acc, mp, ma, seed) => {
        const accs = randomPairs(acc, acc, 40, seed).map(([x]) => x);
        compare({ a, w, product, acc, modeProduct: mp, modeAcc: ma }, accs, randomPairs(a, w, 60, seed ^ 0x5bd1));
      }),
      { numRuns: 600 },
    );
  });
});
