// Every pair of e4m3 codes and every pair of e5m2 codes, multiplied and rounded into e5m10 and
// into a 12-bit e4m7 accumulator (default bias and the paper's bias 10): core vs exact model.
import { expect } from 'chai';
import * as core from '../../core/arith.js';
import { parseFormatName, DETERMINISTIC_MODES } from '../../core/format.js';
import * as exact from '../../golden/exact.js';

describe('core vs exact model: every fp8 code pair', () => {
  for (const input of ['e4m3', 'e5m2']) {
    for (const target of ['fp16', 'e4m7', 'e4m7_b10']) {
      for (const mode of DETERMINISTIC_MODES) {
        it(`${input} x ${input} -> ${target} ${mode}: all 65536 products, code and flags`, () => {
          const fi = parseFormatName(input);
          const fo = parseFormatName(target);
          const r = core.roundingCode(mode);
          const bad: string[] = [];
          let checked = 0;
          for (let a = 0; a < 256; a++) {
            for (let b = 0; b < 256; b++) {
              const got = core.mul(fi, a, fi, b, fo, r);
              const flags = core.status.flags;
              const want = exact.mul(fi, a, fi, b, fo, mode);
              checked++;
              if ((got !== want.code || flags !== want.flags) && bad.length < 5) {
                bad.push(`0x${a.toString(16)} * 0x${b.toString(16)}: core 0x${got.toString(16)}/${flags}, exact 0x${want.code.toString(16)}/${want.flags}`);
              }
            }
          }
          expect(checked).to.equal(65536);
          expect(bad, bad.join('\n')).to.deep.equal([]);
        });
      }
    }
  }
});
