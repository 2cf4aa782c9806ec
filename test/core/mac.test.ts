// The compiled MacKernel (tables, float64 fast path) against the generic core, step by step:
// same accumulator code, same events.
import { expect } from 'chai';
import fc from 'fast-check';
import { add, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, fma, isFiniteCode, isFiniteNonzeroCode, mul, RNA, RNE, RTZ, type Rounding, status } from '../../core/arith.js';
import { type Format, makeFormat, parseFormatName } from '../../core/format.js';
import { MacKernel, type MacSpec } from '../../core/mac.js';
import { arbFormatSpec } from '../support/arbitraries.js';

/** SPEC section 3, one term, written out with the generic operations. */
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
  expect(Array.from(k.events)).to.deep.equal(ev);
}

function randomPairs(fa: Format, fw: Format, n: number, seed: number): [number, number][] {
  let s = seed;
  const r = (m: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % m);
  return Array.from({ length: n }, () => [r(2 * fa.signBit), r(2 * fw.signBit)] as [number, number]);
}

describe('core/mac MacKernel vs the generic core', () => {
  const e4m3 = parseFormatName('e4m3');
  for (const [label, product] of [['e5m10 product', parseFormatName('fp16')], ['exact product', null]] as const) {
    for (const mode of [RNE, RNA, RTZ] as Rounding[]) {
      it(`e4m3 x e4m3, ${label}, e4m7 bias 10 acc, mode ${mode}: every acc code x 1500 pairs`, () => {
        const acc = parseFormatName('e4m7_b10');
        const accs = Array.from({ length: 2 * acc.signBit }, (_, i) => i);
        compare({ a: e4m3, w: e4m3, product, acc, modeProduct: mode, modeAcc: mode }, accs, randomPairs(e4m3, e4m3, 1500, 7 + mode));
      });
    }
  }

  it('random small-format configurations (the fast path) and wide ones (generic)', () => {
    const small = arbFormatSpec.filter((f) => f.exp + f.man <= 7).map((f) => makeFormat(f));
    const accFmt = arbFormatSpec.filter((f) => f.exp + f.man <= 15).map((f) => makeFormat(f));
    const anyFmt = arbFormatSpec.map((f) => makeFormat(f));
    const mode = fc.constantFrom(RNE, RNA, RTZ) as fc.Arbitrary<Rounding>;
    fc.assert(
      fc.property(fc.oneof(small, anyFmt), fc.oneof(small, anyFmt), fc.option(accFmt), accFmt, mode, mode, fc.integer(), (a, w, product, acc, mp, ma, seed) => {
        const accs = randomPairs(acc, acc, 40, seed).map(([x]) => x);
        compare({ a, w, product, acc, modeProduct: mp, modeAcc: ma }, accs, randomPairs(a, w, 60, seed ^ 0x5bd1));
      }),
      { numRuns: 300 },
    );
  });
});
