// sim/compile.ts: which registers become delay lines, the loop order of the state registers, and
// descriptions it must refuse. (That the compiled array computes coreGemm's bits and events is
// test/sim/random.test.ts's job; that it matches the Verilog, test/rtl-gen/cosim.test.ts's.)
import { expect } from 'chai';
import { buildArch } from '../../arch/build.js';
import { input, mux, reg } from '../../arch/ir.js';
import type { Arch } from '../../arch/types.js';
import { resolveConfig } from '../../config/resolve.js';
import { historyNeeds, stepSource } from '../../sim/compile.js';

const arch = (over: Record<string, unknown>): Arch =>
  buildArch(resolveConfig({ rows: 3, cols: 4, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', ...over }));

describe('sim/compile: the PE description as JavaScript', () => {
  it('OS: A and B paths are read from port histories; acc is state, updated walking the rows downward', () => {
    const src = stepSource(arch({}));
    for (const r of ['a', 'av', 'b', 'bv']) expect(src).not.to.contain(`S_${r}[`);
    expect(src).to.contain('H_a_data[').and.to.contain('H_b_data[');
    expect(src).to.contain('S_acc[q]');
    // acc reads the PE below (the output chain): rows in ascending order, one loop.
    expect(src.match(/for \(let r = /g)).to.have.length(1);
    expect(src).to.contain('for (let r = 0; r < 3; r++)');
    // Columns outermost: the shift enable and the chain input are read once per column.
    expect(src).to.match(/for \(let j = 0; j < 4; j\+\+\) {\n  const cs0 = /);
    // The multiplier only feeds the adder: one kernel call.
    expect(src).to.contain('F_acc_adder(').and.not.to.contain('U_multiplier(');
  });

  it('WS: the partial sums walk the rows upward, before the weight chains move', () => {
    const src = stepSource(arch({ dataflow: 'ws' }));
    const down = src.indexOf('for (let r = 2; r >= 0; r--)');
    const up = src.indexOf('for (let r = 0; r < 3; r++)');
    expect(down).to.be.greaterThan(-1);
    expect(up).to.be.greaterThan(down);
    expect(src).to.contain('T_w[q]'); // the output column travels with the weight
  });

  it('with the product register the multiplier is evaluated on its own, into p', () => {
    const src = stepSource(arch({ pipeline: { stages: 1 } }));
    expect(src).to.contain('U_multiplier(').and.to.contain('U_acc_adder(').and.to.contain('S_p[q]');
  });

  it('histories reach back further than any read', () => {
    const a = arch({ rows: 5, cols: 7, dataflow: 'ws' });
    // The partial sum's valid bit of PE(4, 6): s_skew depth 7, plus 4 hops and its own register.
    expect(historyNeeds(a).maxDelay).to.be.at.least(7 + 4 + 1);
  });

  it('refuses a register that reads both the PE above and the PE below (no in-place order exists)', () => {
    const a = arch({ dataflow: 'ws', rows: 2, cols: 2 });
    const bad: Arch = JSON.parse(JSON.stringify(a));
    bad.pe.inputs.push({ name: 'w_up', width: 1, from: 'below', register: 'w', edge: { line: 'w_skew', signal: 'w_valid' }, meaning: 'test' });
    const s = bad.pe.registers.find((r) => r.name === 's')!;
    s.next = mux(input('w_up'), s.next, reg('s'));
    expect(() => stepSource(bad)).to.throw(/above and the PE below/);
  });
});
