import { expect } from 'chai';
import { zeroEvents } from '../../core/events.js';
import { resolveConfig } from '../../config/resolve.js';
import { ENGINES, runEngine } from '../../engine/index.js';
import { toJsonText } from '../../engine/json.js';
import { parseJob } from '../../engine/job.js';
import { toGemmOutput } from '../../engine/output.js';

const NAMES = { config: 'cfg', a: 'a', b: 'b' };

describe('engine/output and the registry', () => {
  it('writes D as zero-padded hex of the output width, with values and the format', () => {
    const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: { exp: 4, man: 7, bias: 10 } });
    const out = toGemmOutput('test', cfg, { D: [[0x000, 0x800, 0x500, 0x780, 0xf80, 0x7c0, 0x001]], events: zeroEvents() });
    expect(out.D).to.deep.equal([['0x000', '0x800', '0x500', '0x780', '0xf80', '0x7c0', '0x001']]);
    expect(out.values).to.deep.equal([[0, -0, 1, 'inf', '-inf', 'nan', 2 ** -16]]);
    expect(out.format).to.deep.equal({ name: 'e4m7_b10', exp: 4, man: 7, bias: 10, subnormals: true, specials: 'ieee', overflow: 'inf' });
    expect(out.cycles).to.equal(null);
  });

  it('prints arrays of scalars on one line and keeps -0', () => {
    const text = toJsonText({ D: [['0x1', '0x2']], values: [[-0, 1.5]], none: undefined, empty: [] });
    expect(text).to.equal('{\n  "D": [\n    ["0x1", "0x2"]\n  ],\n  "values": [\n    [-0, 1.5]\n  ],\n  "empty": []\n}\n');
    expect(Object.is(JSON.parse(text).values[0][0], -0)).to.equal(true);
  });

  it('registers golden and core, and names the choices for an unknown engine', async () => {
    expect(Object.keys(ENGINES)).to.include.members(['golden', 'core']);
    const job = parseJob({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' }, [[1, 2]], [[3], [4]], undefined, NAMES);
    const out = await runEngine('core', job);
    expect(out.values).to.deep.equal([[11]]);
    expect(out.engine).to.equal('core');
    let caught: unknown;
    await runEngine('gpu', job).catch((err: unknown) => (caught = err));
    expect(caught).to.have.property('message').that.matches(/unknown engine "gpu"; available: golden, core/);
  });
});
