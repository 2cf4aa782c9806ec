// The draw units of stochastic rounding (rtl-gen/lib/threefry.ts) against core/random-stream.ts:
// the Verilog under Icarus for every draw kind, R at the spec's ends and between, and seeds at the
// word's ends; then the cost of one unit (cells after Yosys synthesis, the figure docs/synthesis.md
// quotes) with its synthesized netlist checked against the core too.
import { runYosys } from '@yowasp/yosys';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { draw, type DrawKind, type RandomSpec } from '../../core/random-stream.js';
import { Design } from '../../rtl-gen/back/module.js';
import { drawModule } from '../../rtl-gen/lib/threefry.js';
import { runIcarus, type TestVector } from '../../testbenches/icarus.js';
import { rng } from './units.js';

/** Indices at their ends and uniform 32-bit words, each vector with the core's draw. */
function vectors(spec: RandomSpec, kind: DrawKind, count: number, seed: number): TestVector[] {
  const r = rng(seed);
  const word = () => (r() < 0.15 ? [0, 1, 2 ** 32 - 1][Math.floor(r() * 3)]! : Math.floor(r() * 2 ** 32));
  return Array.from({ length: count }, () => {
    const [i, j, t] = [word(), word(), word()] as const;
    return { ins: [i, j, t], outs: [draw(spec, kind, i, j, t)] };
  });
}

function text(file: unknown): string {
  return typeof file === 'string' ? file : new TextDecoder().decode(file as Uint8Array);
}

describe('rtl-gen: the draw units (Threefry-2x32) against core/random-stream.ts', function () {
  this.timeout(600_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-draw-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [RandomSpec, DrawKind][] = [
    [{ bits: 1, seed: 0 }, 'product'],
    [{ bits: 3, seed: 0xffffffff }, 'acc'],
    [{ bits: 8, seed: 0x243f6a88 }, 'total'],
    [{ bits: 32, seed: 1 }, 'acc'],
    [{ bits: 32, seed: 0x80000000 }, 'product'],
    [{ bits: 17, seed: 12345 }, 'total'],
  ];
  for (const [spec, kind] of cases) {
    it(`the ${kind} draw, R = ${spec.bits}, seed ${spec.seed}: 2000 index triples under Icarus`, () => {
      const m = drawModule(spec, kind);
      const res = runIcarus(m, vectors(spec, kind, 2000, spec.bits * 7 + spec.seed), join(dir, m.name));
      expect(res.cases).to.equal(2000);
      expect(res.mismatches, res.log).to.equal(0);
    });
  }

  // The figure docs/synthesis.md quotes: one draw unit (the accumulator's word, R = 8; the product's
  // word is the same logic less its last XOR), synthesized for iCE40 and as generic gates; the
  // gate netlist (plain Verilog primitives) runs under Icarus too.
  for (const target of ['ice40', 'gates'] as const) {
    it(`costs what docs/synthesis.md says (${target})${target === 'gates' ? ", and its netlist draws the core's bits" : ''}`, async () => {
      const spec = { bits: 8, seed: 1 };
      const m = drawModule(spec, 'acc');
      const design = new Design();
      design.add(m);
      const files: Record<string, string> = {};
      for (const f of design.files()) files[f.path] = f.text;
      const synth = target === 'ice40' ? `synth_ice40 -flatten -top ${m.name}` : `synth -flatten -top ${m.name}; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean`;
      const script = [`read_verilog ${Object.keys(files).join(' ')}`, `hierarchy -check -top ${m.name}`, synth, 'tee -q -o stat.txt stat', 'write_verilog -noattr netlist.v'].join('; ');
      let log = '';
      const collect = (bytes: Uint8Array | null) => {
        if (bytes) log += new TextDecoder().decode(bytes);
      };
      const tree = (await runYosys(['-q', '-p', script], files, { stdout: collect, stderr: collect })) as Record<string, unknown>;
      const stat = text(tree['stat.txt']);
      const count = (cell: string) => Number(new RegExp(`${cell}\\s+(\\d+)`).exec(stat)?.[1] ?? 0);
      const cells = Number(/Number of cells:\s+(\d+)/.exec(stat)![1]);
      if (target === 'ice40') {
        console.log(`        ${m.name}: ${count('SB_LUT4')} SB_LUT4, ${count('SB_CARRY')} SB_CARRY`);
        // 13 rounds and 3 key injections of 32-bit adders and XORs: about a LUT per bit and operation.
        expect(count('SB_LUT4')).to.be.within(900, 1200);
      } else {
        console.log(`        ${m.name}: ${cells} gates`);
        expect(cells).to.be.within(2500, 4000);
        const res = runIcarus(m, vectors(spec, 'acc', 1000, 99), join(dir, `${m.name}_${target}`), [{ path: 'netlist.v', text: text(tree['netlist.v']) }]);
        expect(res.mismatches, res.log).to.equal(0);
      }
      expect(log).not.to.match(/warning/i);
    });
  }
});
