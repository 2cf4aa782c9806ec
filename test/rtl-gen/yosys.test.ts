// Yosys (WebAssembly) reads and synthesizes a few units: `hierarchy -check; proc; check -assert;
// synth`. The synthesized netlist then runs under Icarus against core/arith.ts, so a difference
// in how Yosys reads the Verilog (signedness, widths) would show.
import { synthesizeNetlist } from './yosys-netlist.js';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFormatName as F } from '../../core/format.js';
import { runIcarus, type TestVector } from '../../testbenches/icarus.js';
import { describeUnit, moduleFor, randomCase, reference, rng, type UnitSpec } from './units.js';

const UNITS: UnitSpec[] = [
  { kind: 'mul', a: F('e4m3'), b: F('e4m3'), out: F('fp16'), mode: 'rne' },
  { kind: 'add', x: F('e4m7_b10_ftz'), y: F('fp16'), out: F('e4m7_b10_ftz'), mode: 'rna' },
  { kind: 'fma', a: F('e4m3'), b: F('e4m3'), c: F('e4m7'), out: F('e4m7'), mode: 'rtz' },
  { kind: 'fma', a: F('e2m1_none'), b: F('e5m2'), c: F('e3m4_fn'), out: F('e3m4_fn'), mode: 'rne' },
];

describe('rtl-gen: Yosys synthesis', function () {
  this.timeout(300_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-yosys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const u of UNITS) {
    it(`synthesizes ${describeUnit(u)} and the netlist matches the core`, async () => {
      const m = moduleFor(u);
      const { netlist } = await synthesizeNetlist(m);

      // The netlist under Icarus, against the core.
      const r = rng(99);
      const vectors: TestVector[] = [];
      for (let i = 0; i < 3000; i++) {
        const ops = randomCase(u, r);
        vectors.push({ ins: ops, outs: reference(u, ops) });
      }
      const res = runIcarus(m, vectors, join(dir, m.name), [{ path: 'netlist.v', text: netlist }]);
      expect(res.cases).to.equal(vectors.length);
      expect(res.mismatches, res.log).to.equal(0);
    });
  }
});
