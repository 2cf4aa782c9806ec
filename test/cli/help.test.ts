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
    ['schema', ['schema/config.schema.json']],
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

  it('a missing command, an unknown option or a missing required option exits 1 with the usage', () => {
    for (const args of [[], ['formats', '--bogus'], ['gemm', '--config', 'x.json'], ['gemm', '--config', 'c', '--a', 'a', '--b', 'b', '--engine', 'nope']]) {
      const r = lbamac(...args);
      expect(r.status, args.join(' ')).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/^lbamac /); // the usage text comes first
      expect(r.stderr).to.match(/\nlbamac: \S/);
    }
  });
});
