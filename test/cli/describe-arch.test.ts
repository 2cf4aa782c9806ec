// `lbamac describe`: the architecture description a config builds, as the simulator and the
// generator see it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArch } from '../../arch/build.js';
import { registerRule } from '../../arch/ir.js';
import { resolveConfig } from '../../config/resolve.js';
import { fixture, lbamac, ROOT } from './run.js';

describe('cli: describe', function () {
  this.timeout(60_000);
  for (const example of ['e4m3-e4m7', 'sparse-2-4']) {
    const file = join(ROOT, 'examples', example, 'config.json');
    const arch = buildArch(resolveConfig(JSON.parse(readFileSync(file, 'utf8'))));

    it(`examples/${example}: every PE input, unit and register rule, every edge line and output port`, () => {
      const r = lbamac('describe', '--config', file);
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      for (const i of arch.pe.inputs) expect(r.stdout).to.contain(`  ${i.name} `);
      for (const u of arch.pe.units) expect(r.stdout).to.contain(`  ${u.name} `);
      for (const reg of arch.pe.registers) expect(r.stdout).to.contain(registerRule(reg));
      for (const l of arch.edge) expect(r.stdout).to.contain(`  ${l.name} `);
      for (const o of arch.outputs) expect(r.stdout).to.contain(`  ${o.port} = `);
    });

    it(`examples/${example}: --json is the description itself, --js the simulator's step function`, () => {
      const r = lbamac('describe', '--config', file, '--json');
      expect(r.status).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.equal(JSON.parse(JSON.stringify(arch)));
      const js = lbamac('describe', '--config', file, '--js');
      expect(js.stdout).to.contain('return function step(x)');
      const wasm = lbamac('describe', '--config', file, '--wasm');
      expect(wasm.status).to.equal(0);
      expect(wasm.stdout).to.contain('(func (export "step")');
      // JSON stays JSON: code does not follow it.
      const both = lbamac('describe', '--config', file, '--json', '--wasm');
      expect(both.status).to.equal(1);
      expect(both.stderr).to.match(/^lbamac: --json and --wasm cannot be given together\n/);
    });
  }

  for (const dataflow of ['os', 'ws']) {
    it(`a fixed-point accumulator (${dataflow.toUpperCase()}): the register, its units and the rules that load C and round D`, () => {
      const cfg = { rows: 2, cols: 2, dataflow, a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' } };
      const arch = buildArch(resolveConfig(cfg));
      const r = lbamac('describe', '--config', join(fixture({ 'cfg.json': cfg }), 'cfg.json'));
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.contain('acc fixed(msb 29, lsb -18, saturate) into fp32 (a 52-bit state: 49-bit register, zero sign, special; C onto it rne)');
      expect(r.stdout).to.contain(`acc_adder    sum = fixadd(x=(${dataflow === 'os' ? 'afi ? c_loader : acc' : 'wfi ? c_loader : s_in'}), y=multiplier) into the fixed-point state, rne`);
      expect(r.stdout).to.contain('out_rounder  d_code = fixround(x=acc_adder) into fp32 (out), rne');
      for (const reg of arch.pe.registers) expect(r.stdout).to.contain(registerRule(reg));
      expect(r.stdout).to.contain(dataflow === 'os' ? 'd <= (shift | (add_en & ala)) ? (shift ? d_in : out_rounder) : d' : 'sd <= (add_en & wla) ? out_rounder : sd_in');
    });
  }

  it('a missing --config is a usage error', () => {
    const r = lbamac('describe');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/config/);
  });
});
