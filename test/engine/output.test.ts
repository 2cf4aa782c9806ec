import { expect } from 'chai';
import { zeroEvents } from '../../core/events.js';
import { resolveConfig } from '../../config/resolve.js';
import { ENGINES, runEngine } from '../../engine/index.js';
import { toJsonText } from '../../engine/json.js';
import { parseJob } from '../../engine/job.js';
import { codesNpy, toGemmOutput, valuesNpy } from '../../engine/output.js';
import { parseNpy } from '../../engine/npy.js';

const NAMES = { config: 'cfg', a: 'a', b: 'b' };

describe('engine/output and the registry', () => {
  it('writes D as zero-padded hex of the output width, with values and the format', () => {
    const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: { exp: 4, man: 7, bias: 10 } });
    const out = toGemmOutput('test', cfg, { D: [[0x000, 0x800, 0x500, 0x780, 0xf80, 0x7c0, 0x001]], events: zeroEvents() });
    expect(out.D).to.deep.equal([['0x000', '0x800', '0x500', '0x780', '0xf80', '0x7c0', '0x001']]);
    expect(out.values).to.deep.equal([[0, '-0', 1, 'inf', '-inf', 'nan', 2 ** -16]]);
    expect(out.format).to.deep.equal({ name: 'e4m7_b10', exp: 4, man: 7, bias: 10, subnormals: true, specials: 'ieee', overflow: 'inf' });
    expect(out.cycles).to.equal(null);
  });

  it('adds utilization and per-PE counts (one rows × cols matrix per event) for cycle-level engines only', () => {
    const cfg = resolveConfig({ rows: 1, cols: 2, a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' });
    const pe = (nan: number) => ({ ...zeroEvents(), nan });
    const out = toGemmOutput('sim', cfg, { D: [[0]], events: pe(3), cycles: 7, array: { utilization: 0.25, peTerms: [[2, 1]], perPE: [[pe(1), pe(2)]] } });
    expect(out.cycles).to.equal(7);
    expect(out.utilization).to.equal(0.25);
    expect(out.pe!.terms).to.deep.equal([[2, 1]]);
    expect(out.pe!.events.nan).to.deep.equal([[1, 2]]);
    expect(out.pe!.events.swamping).to.deep.equal([[0, 0]]);
    expect(Object.keys(out.pe!.events)).to.have.length(6);
    const plain = toGemmOutput('core', cfg, { D: [[0]], events: zeroEvents() });
    expect(plain).not.to.have.any.keys('utilization', 'pe');
  });

  it('prints arrays of scalars on one line and keeps -0', () => {
    const text = toJsonText({ D: [['0x1', '0x2']], values: [[-0, 1.5]], none: undefined, empty: [] });
    expect(text).to.equal('{\n  "D": [\n    ["0x1", "0x2"]\n  ],\n  "values": [\n    [-0, 1.5]\n  ],\n  "empty": []\n}\n');
    expect(Object.is(JSON.parse(text).values[0][0], -0)).to.equal(true);
  });

  it('registers golden and core, and names the choices for an unknown engine', async () => {
    expect(Object.keys(ENGINES)).to.include.members(['golden', 'core', 'sim']);
    const job = parseJob({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' }, [[1, 2]], [[3], [4]], undefined, NAMES);
    const out = await runEngine('core', job);
    expect(out.values).to.deep.equal([[11]]);
    expect(out.engine).to.equal('core');
    let caught: unknown;
    await runEngine('gpu', job).catch((err: unknown) => (caught = err));
    expect(caught).to.have.property('message').that.matches(/unknown engine "gpu"; available: golden, core/);
  });

  it('writes D as .npy: codes in the smallest uint dtype that holds the output width, values as float64', () => {
    const widths: [string, number, string][] = [
      ['e4m3', 0x7e, 'uint8'],
      ['e4m7_b10', 0x7c0, 'uint16'],
      ['fp16', 0xfc00, 'uint16'],
      ['e5m11', 0x1f800, 'uint32'],
      ['fp32', 0xff800000, 'uint32'],
    ];
    for (const [acc, top, dtype] of widths) {
      const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc });
      const out = toGemmOutput('test', cfg, { D: [[0, top], [1, 2], [3, 4]], events: zeroEvents() });
      const codes = parseNpy(codesNpy(out), 'd.npy');
      expect([codes.dtype, codes.shape, Array.from(codes.data)], acc).to.deep.equal([dtype, [3, 2], [0, top, 1, 2, 3, 4]]);
    }
    const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' });
    const out = toGemmOutput('test', cfg, { D: [[0x3c00, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x0001]], events: zeroEvents() });
    const values = parseNpy(valuesNpy(out), 'v.npy');
    expect([values.dtype, values.shape]).to.deep.equal(['float64', [1, 6]]);
    const v = Array.from(values.data);
    expect(v.slice(0, 4)).to.deep.equal([1, -0, Infinity, -Infinity]);
    expect(Object.is(v[1], -0)).to.equal(true);
    expect(v[4]).to.be.NaN;
    expect(v[5]).to.equal(2 ** -24);
  });
});
