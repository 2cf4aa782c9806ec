// Yosys (WebAssembly) reads and synthesizes small generated arrays, one per dataflow, one with a
// dot-product cell and one with a fixed-point accumulator:
// `hierarchy -check; proc; check -assert; synth`, with no warning.
import { expect } from 'chai';
import { resolveConfig } from '../../config/resolve.js';
import type { Arch } from '../../arch/types.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { asText, yosysScript } from './yosys-netlist.js';

/** Register bits the arch describes: every PE register in every PE, every edge-line stage. */
function registerBits(arch: Arch): number {
  const pe = arch.pe.registers.reduce((n, r) => n + r.width, 0) * arch.rows * arch.cols;
  const edge = arch.edge.reduce((n, line) => {
    const width = line.signals.reduce((w, s) => w + s.width, 0);
    return n + (line.shared ? width * line.depth.length : width * line.depth.reduce((a, d) => a + d, 0));
  }, 0);
  return pe + edge;
}

const CONFIGS: Record<string, unknown>[] = [
  { rows: 2, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m4', acc: 'e4m7', total: 'e5m7', chunk: 4, rounding: { product: 'rne', acc: 'rtz', total: 'rna' }, pipeline: { stages: 1 } },
  { rows: 2, cols: 1, dataflow: 'ws', sparsity: '2:4', a: 'e2m1', w: 'e3m2', product: 'exact', acc: { exp: 4, man: 5, subnormals: false, specials: 'fn' }, rounding: { acc: 'rne' } },
  // A dot-product cell: two rounded products per step into one adder with a 6-bit window.
  { rows: 1, cols: 2, dataflow: 'os', a: 'e2m1', w: 'e3m2', product: 'e4m3', acc: { exp: 4, man: 5 }, lanes: 2, alignBits: 6, rounding: { product: 'rne', acc: 'rtz' }, flags: true },
  { rows: 2, cols: 1, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 12, lsb: -8 }, overflow: 'wrap', out: 'fp16' }, rounding: { acc: 'rne' }, flags: true },
];

describe('rtl-gen: Yosys synthesizes generated arrays', function () {
  this.timeout(300_000);
  for (const raw of CONFIGS) {
    it(`${raw.rows} x ${raw.cols} ${String(raw.dataflow).toUpperCase()}${raw.lanes ? `, ${raw.lanes} lanes` : ''}${typeof raw.acc === 'object' && 'fixed' in (raw.acc as object) ? ', fixed-point accumulator' : ''}: hierarchy -check; proc; check -assert; synth`, async () => {
      const rtl = generateRtl(resolveConfig(raw));
      const files: Record<string, string> = {};
      for (const f of rtl.files) files[f.path] = f.text;
      const script = [`read_verilog ${Object.keys(files).join(' ')}`, `hierarchy -check -top ${rtl.top}`, 'proc', 'check -assert', `synth -top ${rtl.top}`, 'check -assert', 'tee -q -o stat.txt stat'].join('; ');
      const stat = asText((await yosysScript(script, files))['stat.txt']);
      // Flip-flops after synthesis: exactly the register bits of the PEs and the edge lines (none
      // optimized away, none added).
      const hier = stat.slice(stat.lastIndexOf('=== design hierarchy ==='));
      const dff = [...hier.matchAll(/\$_S?DFFE?_\w+\s+(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      const expected = registerBits(rtl.arch);
      console.log(`        ${dff} flip-flops of ${expected} register bits`);
      expect(dff).to.equal(expected);
    });
  }
});
