// The self-checking Verilog testbench ($readmemh) under Icarus: the generated units against the
// core, and a wrong expectation is caught.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFormatName as F } from '../../core/format.js';
import { runIcarus, selfCheckingTestbench, type TestVector, vectorsHex } from '../../testbenches/icarus.js';
import { describeUnit, moduleFor, randomCase, reference, rng, type UnitSpec } from '../rtl-gen/units.js';

const UNITS: UnitSpec[] = [
  { kind: 'fma', a: F('fp16'), b: F('fp16'), c: F('fp16'), out: F('fp16'), mode: 'rne' },
  { kind: 'add', x: F('e6m12_bn30_ftz'), y: F('e5m10'), out: F('e6m12_bn30_ftz'), mode: 'rtz' },
  { kind: 'mul', a: F('e8m23'), b: F('e4m3'), out: F('bf16'), mode: 'rna' },
];

function vectorsFor(u: UnitSpec, count: number, seed: number): TestVector[] {
  const r = rng(seed);
  const out: TestVector[] = [];
  for (let i = 0; i < count; i++) {
    const ops = randomCase(u, r);
    out.push({ ins: ops, outs: reference(u, ops) });
  }
  return out;
}

describe('testbenches: self-checking testbench under Icarus', function () {
  this.timeout(300_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-icarus-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs inputs and expected outputs into one hex word a line', () => {
    const m = moduleFor({ kind: 'mul', a: F('e4m3'), b: F('e4m3'), out: F('fp16'), mode: 'rne' });
    // a=0x38, b=0x40, product=0x4400, flags=0: 8 + 8 + 16 + 5 = 37 bits.
    expect(vectorsHex(m, [{ ins: [0x38, 0x40], outs: [0x4400, 0] }])).to.equal(`${((0x38n << 29n) | (0x40n << 21n) | (0x4400n << 5n)).toString(16).padStart(10, '0')}\n`);
    expect(selfCheckingTestbench(m, 1)).to.include('{a, b, expect_product, expect_flags} = vectors[i];');
  });

  for (const [k, u] of UNITS.entries()) {
    it(`${describeUnit(u)}: 2000 vectors pass`, () => {
      const res = runIcarus(moduleFor(u), vectorsFor(u, 2000, 50 + k), join(dir, `u${k}`));
      expect(res.cases).to.equal(2000);
      expect(res.mismatches, res.log).to.equal(0);
    });
  }

  it('reports a wrong expectation', () => {
    const u = UNITS[0]!;
    const vectors = vectorsFor(u, 10, 3);
    vectors[4] = { ins: vectors[4]!.ins, outs: [vectors[4]!.outs[0]! ^ 1, vectors[4]!.outs[1]!] };
    const res = runIcarus(moduleFor(u), vectors, join(dir, 'wrong'));
    expect(res.mismatches).to.equal(1);
    expect(res.log).to.match(/mismatch in case 4:/);
  });
});
