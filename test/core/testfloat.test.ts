// Every Berkeley TestFloat vector (f16 and f32; add, mul, mulAdd; every rounding mode) through the core.
import { expect } from 'chai';
import { add, EV_INEXACT, EV_INVALID, EV_OVERFLOW, fma, isNaNCode, mul, roundingCode, status } from '../../core/arith.js';
import { type Format, parseFormatName, DETERMINISTIC_MODES } from '../../core/format.js';
import { loadTestFloat, TF_INEXACT, TF_INVALID, TF_OVERFLOW, type TestFloatOp, type TestFloatType } from '../../golden/testfloat.js';

const FORMATS: Record<TestFloatType, Format> = { f16: parseFormatName('fp16'), f32: parseFormatName('fp32') };

function coreFlagsAsIeee(flags: number): number {
  return (flags & EV_INEXACT ? TF_INEXACT : 0) | (flags & EV_OVERFLOW ? TF_OVERFLOW : 0) | (flags & EV_INVALID ? TF_INVALID : 0);
}

describe('core vs Berkeley TestFloat', () => {
  for (const type of ['f16', 'f32'] as const) {
    for (const op of ['add', 'mul', 'mulAdd'] as TestFloatOp[]) {
      for (const mode of DETERMINISTIC_MODES) {
        it(`${type}_${op} ${mode}: every vector, result and inexact/overflow/invalid flags`, () => {
          const f = FORMATS[type];
          const r = roundingCode(mode);
          const { arity, cases, count } = loadTestFloat(type, op, mode);
          const stride = arity + 2;
          const failures: string[] = [];
          for (let i = 0; i < count; i++) {
            const at = i * stride;
            const a = cases[at]!, b = cases[at + 1]!, c = cases[at + 2]!;
            const got = op === 'add' ? add(f, a, f, b, f, r) : op === 'mul' ? mul(f, a, f, b, f, r) : fma(f, a, f, b, f, c, f, r);
            const flags = status.flags;
            const want = cases[at + arity]!;
            const wantFlags = cases[at + arity + 1]!;
            const nanOk = isNaNCode(want, f) && isNaNCode(got, f);
            let ok = got === want || nanOk;
            // Signaling-NaN operands raise invalid in IEEE; the contract has no signaling NaNs.
            const nanOperand = [a, b, c].slice(0, arity).some((x) => isNaNCode(x, f));
            if (ok && !nanOperand) ok = coreFlagsAsIeee(flags) === (wantFlags & (TF_INEXACT | TF_OVERFLOW | TF_INVALID));
            if (!ok && failures.length < 10) {
              const hex = (x: number) => x.toString(16).padStart(f.width / 4, '0');
              failures.push(`${[a, b, c].slice(0, arity).map(hex).join(' ')} -> ${hex(got)} flags ${coreFlagsAsIeee(flags)}, want ${hex(want)} flags ${wantFlags}`);
            }
          }
          expect(count).to.be.greaterThan(40000);
          expect(failures, failures.join('\n')).to.deep.equal([]);
        });
      }
    }
  }
});
