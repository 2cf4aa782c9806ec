// The simulator with fixed-point accumulators beyond the random configurations: arrays that differ
// only in their register (the unit evaluators are cached per kernel and must not be shared across
// registers), and the state bus in the registers and ports as rtl-gen/lib/fixed-add.ts lays it out.
import { expect } from 'chai';
import { buildArch } from '../../arch/build.js';
import { resolveConfig } from '../../config/resolve.js';
import { coreGemm } from '../../core/gemm.js';
import { simulate } from '../../sim/simulate.js';

const ONE = 0x38; // 1.0 in e4m3
const config = (msb: number, lsb: number, overflow: 'saturate' | 'wrap', dataflow: 'os' | 'ws' = 'os') =>
  resolveConfig({ rows: 2, cols: 2, dataflow, a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb, lsb }, overflow, out: 'fp16' } });

describe('sim: fixed-point accumulators', () => {
  it('arrays that differ only in their register each get their own D (one after the other, same formats)', () => {
    // 8 + 8 + 0.125: exact in msb 10; saturated at 15.75 with msb 3; wrapped (and rounded onto the
    // grid with lsb -2) otherwise.
    const A = [[0x50, 0x50, 0x20]]; // 8, 8, 0.125 in e4m3
    const B = [[ONE], [ONE], [ONE]];
    const D = (cfg: ReturnType<typeof config>) => simulate(buildArch(cfg), { A, B }).D;
    for (const [msb, lsb, overflow] of [[10, -4, 'saturate'], [3, -2, 'saturate'], [3, -4, 'wrap'], [3, -2, 'wrap']] as const) {
      const cfg = config(msb, lsb, overflow);
      expect(D(cfg), `fixed(msb ${msb}, lsb ${lsb}, ${overflow})`).to.deep.equal(coreGemm(cfg, A, B).D);
    }
    expect(D(config(10, -4, 'saturate'))).to.deep.equal([[0x4c08]]); // 16.125
    expect(D(config(3, -2, 'saturate'))).to.deep.equal([[0x4be0]]); // 15.75
  });

  it('WS: the state bus leaves on d_acc between K tiles as {special, zero sign, reg} and comes back on s_acc', () => {
    const cfg = config(5, -3, 'wrap', 'ws');
    const arch = buildArch(cfg);
    const A = [[ONE, ONE, 0xb8]]; // 1, 1, -1: three terms on a 2-row array, two K tiles
    const B = [[ONE], [ONE], [ONE]];
    const seen: number[] = [];
    const r = simulate(arch, { A, B }, { onCycle: (_x, ports) => { if (ports.d_valid![0]) seen.push(ports.d_acc![0]!); } });
    // After the first K tile: 1 + 1 = 2 = 16 units of 2^-3 (no special, zero sign 0); after the second: 1.
    expect(seen).to.deep.equal([16, 8]);
    expect(r.D).to.deep.equal([[0x3c00]]);
  });
});
