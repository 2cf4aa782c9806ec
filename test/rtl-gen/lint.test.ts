// Every tested unit (and more random ones) is clean under `verilator --lint-only -Wall` and
// compiles under `iverilog -g2005 -Wall` without a message.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFormatName as F } from '../../core/format.js';
import { Design, moduleFileText, type VModule } from '../../rtl-gen/back/module.js';
import { requireTool } from '../../cosim/tools.js';
import { runAll } from '../support/run-all.js';
import { COSIM_COMBOS, comboUnits, describeUnit, fixedUnits, LINT_COMBOS, moduleFor, randomCombos, type UnitSpec } from './units.js';

/** Edge shapes: no mantissa, the widest format, extreme biases, every specials mode. */
function edgeUnits(): UnitSpec[] {
  return [
    { kind: 'mul', a: F('e2m0_fn'), b: F('e2m0_none'), out: F('e2m0_none'), mode: 'rne' },
    { kind: 'mul', a: F('e8m23'), b: F('e8m23'), out: F('e2m0_ftz_fn'), mode: 'rna' },
    { kind: 'add', x: F('e8m23_ftz_none'), y: F('e2m0_fn'), out: F('e2m1'), mode: 'rtz' },
    { kind: 'add', x: F('e2m1_none'), y: F('e8m23_b1048576'), out: F('e8m23_bn1048576'), mode: 'rne' },
    { kind: 'fma', a: F('e8m23'), b: F('e8m23'), c: F('e8m23'), out: F('e2m0_ftz_fn'), mode: 'rna' },
    { kind: 'fma', a: F('e2m0_none'), b: F('e2m0_fn'), c: F('e2m0_none'), out: F('e8m23_sat'), mode: 'rtz' },
    { kind: 'mul', a: F('e2m0_fn'), b: F('e2m0_none'), out: F('e2m0_none'), mode: 'rod' },
    { kind: 'add', x: F('e8m23_ftz_none'), y: F('e2m0_fn'), out: F('e2m1'), mode: 'rup' },
    { kind: 'fma', a: F('e8m23'), b: F('e8m23'), c: F('e8m23'), out: F('e2m0_ftz_fn'), mode: 'rdn' },
    { kind: 'fma', a: F('e2m0_none'), b: F('e2m0_fn'), c: F('e2m0_none'), out: F('e8m23'), mode: 'rod' },
    { kind: 'mul', a: F('e2m0_fn'), b: F('e2m0_none'), out: F('e2m0_none'), mode: 'rsr', bits: 1 },
    { kind: 'add', x: F('e8m23_ftz_none'), y: F('e2m0_fn'), out: F('e2m1'), mode: 'rsr', bits: 32 },
    { kind: 'fma', a: F('e8m23'), b: F('e8m23'), c: F('e8m23'), out: F('e8m23'), mode: 'rsr', bits: 32 },
  ];
}

export function lintedUnits(): UnitSpec[] {
  const units = fixedUnits().map((f) => f.unit);
  for (const c of randomCombos(COSIM_COMBOS.seed, COSIM_COMBOS.count)) units.push(...comboUnits(c));
  for (const c of randomCombos(LINT_COMBOS.seed, LINT_COMBOS.count)) units.push(...comboUnits(c));
  units.push(...edgeUnits());
  return units;
}

function closure(m: VModule, into = new Map<string, VModule>()): Map<string, VModule> {
  for (const d of m.deps) closure(d, into);
  into.set(m.name, m);
  return into;
}

describe('rtl-gen: lint and compile', function () {
  this.timeout(300_000);
  const units = lintedUnits();
  const modules = [...new Map(units.map((u) => [moduleFor(u).name, { u, m: moduleFor(u) }])).values()];
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-lint-'));
    const design = new Design();
    for (const { m } of modules) design.add(m);
    for (const f of design.files()) writeFileSync(join(dir, f.path), f.text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`verilator --lint-only -Wall reports nothing for ${modules.length} units and their submodules`, async () => {
    requireTool('verilator');
    const cmds = modules.map(({ u, m }) => ({ label: `${describeUnit(u)} (${m.name})`, args: ['verilator', '--lint-only', '-Wall', '--top-module', m.name, ...[...closure(m).keys()].map((n) => join(dir, `${n}.v`))] }));
    const problems = (await runAll(cmds)).filter((r) => r.status !== 0 || r.text).map((r) => `${r.label}:\n${r.text.slice(0, 2000)}`);
    expect(problems, problems.join('\n\n')).to.deep.equal([]);
  });

  it('iverilog -g2005 -Wall compiles every unit without a message', () => {
    requireTool('iverilog');
    const design = new Design();
    for (const { m } of modules) design.add(m);
    const files = design.modules.map((m) => join(dir, `${m.name}.v`));
    const r = spawnSync('iverilog', ['-g2005', '-Wall', '-o', join(dir, 'all.vvp'), ...files], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(`${r.stdout}${r.stderr}`.trim()).to.equal('');
  });

  it('every file carries `default_nettype none and only ASCII', () => {
    for (const { m } of modules) {
      const text = moduleFileText(m);
      expect(text.startsWith('`default_nettype none\n')).to.equal(true);
      expect(text).not.to.match(/[^\x00-\x7f]/);
      expect(text).not.to.match(/\blogic\b|\balways_comb\b|\bint\b/); // no SystemVerilog
    }
  });
});
