import { expect } from 'chai';
import { headlineArea, parseLtp, parseStat } from '../../synth/parse.js';
import { parsePnrReport } from '../../synth/pnr.js';
import { targetSpec } from '../../synth/targets.js';

/** The shape of Yosys 0.55's `stat -json`, for a top module and a second one. */
function statJson(top: string, cells: Record<string, number>, portBits = 17): string {
  const mod = { num_wires: 9, num_port_bits: portBits, num_cells: Object.values(cells).reduce((a, b) => a + b, 0), num_cells_by_type: cells };
  return JSON.stringify({ creator: 'Yosys 0.55', modules: { [`\\${top}`]: mod, '\\helper': { num_cells_by_type: { SB_LUT4: 1000 } } }, design: mod });
}

describe('synth/parse', () => {
  it('groups iCE40 cells: LUTs, carries, every flip-flop flavour, DSPs, RAMs; unknown types listed apart', () => {
    const r = parseStat(statJson('top', { SB_LUT4: 120, SB_CARRY: 30, SB_DFF: 4, SB_DFFESR: 6, SB_DFFSS: 1, SB_MAC16: 2, SB_RAM40_4K: 1, SB_WEIRD: 3, $scopeinfo: 5 }), 'top', targetSpec('ice40'));
    expect(r.counts).to.deep.equal({ lut: 120, ff: 11, carry: 30, dsp: 2, bram: 1, lutram: 0, mux: 0, gate: 0 });
    expect(r.other).to.deep.equal({ SB_WEIRD: 3 });
    expect(r.byType).to.not.have.property('$scopeinfo');
    expect(r.portBits).to.equal(17);
    expect(headlineArea(r, targetSpec('ice40'))).to.equal(120);
  });

  it('counts gates and flip-flops of the generic target; the area is their sum', () => {
    const spec = targetSpec('gates');
    const r = parseStat(statJson('m', { $_AND_: 10, $_NAND_: 5, $_OR_: 1, $_NOR_: 2, $_XOR_: 3, $_XNOR_: 4, $_MUX_: 6, $_NOT_: 7, $_DFF_P_: 8, $_DFF_PP0_: 2 }), 'm', spec);
    expect(r.counts.gate).to.equal(38);
    expect(r.counts.ff).to.equal(10);
    expect(r.other).to.deep.equal({});
    expect(headlineArea(r, spec)).to.equal(48);
  });

  it('counts Xilinx LUT1..LUT6 and INV as LUTs, CARRY4 as carries, FD*E as flip-flops, DSP48 and RAMB', () => {
    const r = parseStat(statJson('x', { LUT1: 1, LUT2: 2, LUT6: 6, INV: 1, CARRY4: 3, FDRE: 5, FDCE: 1, DSP48E1: 2, RAMB18E1: 1, MUXF7: 4, SRL16E: 2 }), 'x', targetSpec('xilinx'));
    expect(r.counts).to.deep.equal({ lut: 10, ff: 6, carry: 3, dsp: 2, bram: 1, lutram: 2, mux: 4, gate: 0 });
  });

  it('counts ECP5 LUT4, CCU2C, TRELLIS_FF, MULT18X18D and the PFU muxes', () => {
    const r = parseStat(statJson('e', { LUT4: 50, CCU2C: 9, TRELLIS_FF: 12, MULT18X18D: 1, PFUMX: 3, L6MUX21: 1, DP16KD: 2 }), 'e', targetSpec('ecp5'));
    expect(r.counts).to.deep.equal({ lut: 50, ff: 12, carry: 9, dsp: 1, bram: 2, lutram: 0, mux: 4, gate: 0 });
    expect(headlineArea(r, targetSpec('ecp5'))).to.equal(50 + 2 * 9); // a CCU2C is two LUT4s
  });

  it('names the missing module when the top is not in the report', () => {
    expect(() => parseStat(statJson('a', { SB_LUT4: 1 }), 'b', targetSpec('ice40'))).to.throw(/no module b .*a, helper/);
    expect(() => parseStat('not json', 'a', targetSpec('ice40'))).to.throw(/not JSON/);
  });

  it('reads the longest path length, 0 without a path, null on a loop', () => {
    expect(parseLtp('9. Executing LTP pass (find longest path).\n\nLongest topological path in lbamac_pe (length=157):\n    0: \\a [3]\n')).to.equal(157);
    expect(parseLtp('9. Executing LTP pass (find longest path).\n')).to.equal(0);
    expect(parseLtp('Executing LTP pass\nDetected loop at $abc$1 in m\nLongest topological path in m (length=4):')).to.equal(null);
    expect(() => parseLtp('something else')).to.throw(/no longest-path line/);
  });

  it('reads nextpnr\'s report: the slowest clock and the utilization', () => {
    const json = JSON.stringify({ fmax: { clk_a: { achieved: 41.5, constraint: 12 }, clk_b: { achieved: 17.25, constraint: 12 } }, utilization: { ICESTORM_LC: { used: 626, available: 7680 } } });
    expect(parsePnrReport(json)).to.deep.equal({ fmaxMHz: 17.25, utilization: { ICESTORM_LC: { used: 626, available: 7680 } } });
    expect(parsePnrReport('{}').fmaxMHz).to.equal(null);
  });
});
