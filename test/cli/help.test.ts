import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lbamac, ROOT } from './run.js';

describe('cli: help, version, usage errors', function () {
  this.timeout(30_000); // each case spawns node
  it('--help lists every command', () => {
    const r = lbamac('--help');
    expect(r.status).to.equal(0);
    for (const cmd of ['formats', 'gemm', 'sim', 'verify', 'schema']) expect(r.stdout).to.include(`lbamac ${cmd}`);
  });

  for (const [cmd, mustMention] of [
    ['formats', ['--json', 'format']],
    ['gemm', ['--config', '--engine', '--out', 'golden', 'core', 'sim']],
    ['sim', ['--config', '--a', '--m', '--seed', '--vcd', '--trace']],
    ['verify', ['--config', '--vectors', '--seed', '--rtl']],
    ['schema', ['schema/config.schema.json', 'Examples:', 'lbamac schema >']],
    ['presets', ['--json', 'Examples:', 'lbamac presets ocp-fp8']],
  ] as const) {
    it(`${cmd} --help describes its options`, () => {
      const r = lbamac(cmd, '--help');
      expect(r.status).to.equal(0);
      expect(r.stderr).to.equal('');
      for (const word of mustMention) expect(r.stdout).to.include(word);
    });
  }

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = lbamac('--version');
    expect(r.status).to.equal(0);
    expect(r.stdout.trim()).to.equal(version);
  });

  it('a missing command exits 1 with the usage', () => {
    const r = lbamac();
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^lbamac /); // the usage text comes first
    expect(r.stderr).to.match(/\nlbamac: choose a command\n$/);
  });

  it("an unknown, missing or conflicting option exits 1 with one line and a pointer to the command's help", () => {
    for (const [args, line] of [
      [['formats', '--bogus'], 'Unknown argument: bogus'],
      [['gemm', '--config', 'x.json'], 'Missing required arguments: a, b'],
      [['sim', '--config', 'c.json', '--a', 'a.json', '--b', 'b.json', '--m', '4'], '--a and --m cannot be given together'],
    ] as const) {
      const r = lbamac(...args);
      expect(r.status, args.join(' ')).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr, args.join(' ')).to.match(new RegExp(`^lbamac: ${line}\n(lbamac: .*\n)*lbamac: see lbamac ${args[0]} --help\n$`));
    }
  });

  it('a missing --a or --b of gemm says which and why (every line of the message marked as ours)', () => {
    const r = lbamac('gemm', '--config', 'c.json', '--a', 'a.json');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^lbamac: Missing required argument: b\nlbamac: --b B\.json is needed: gemm computes D = A·B \+ C, and B \(K×N\) holds its weights\nlbamac: see lbamac gemm --help\n$/);
  });

  // One line each, no help text: the line names the option, the value given and what is allowed.
  for (const [args, line] of [
    [['gemm', '--config', 'c', '--a', 'a', '--b', 'b', '--engine', 'bogus'], '--engine bogus: expected one of golden, core, sim, verilator'],
    [['sweep', '--workers', 'abc'], '--workers abc: expected a whole number from 1 to 256'],
    [['sweep', '--workers', '0'], '--workers 0: expected a whole number from 1 to 256'],
    [['sim', '--config', 'c', '--m', 'x'], '--m x: expected a whole number of at least 1'],
    [['sim', '--config', 'c', '--seed', '-1'], '--seed -1: expected a whole number from 0 to 4294967295'],
    [['verify', '--config', 'c', '--vectors', '2.5'], '--vectors 2.5: expected a whole number of at least 1'],
    [['gen', '--config', 'c', '-o', 'out', '--top', 'module'], '--top module: a Verilog keyword cannot name a module'],
    [['gen', '--config', 'c', '-o', 'out', '--prefix', '2x'], '--prefix "2x": expected a Verilog identifier (letters, digits and _, not starting with a digit)'],
  ] as const) {
    it(`${args.join(' ')}: one line`, () => {
      const r = lbamac(...args);
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(`lbamac: ${line}\n`);
    });
  }
});
