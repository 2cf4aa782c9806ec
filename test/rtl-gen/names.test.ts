// rtl-gen/names.ts: a prefix before every module name and a top name of one's choice, so that the
// arrays of two configurations can be in one design.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../config/resolve.js';
import { requireTool } from '../../cosim/tools.js';
import { identifierProblem } from '../../rtl-gen/names.js';
import { rtlPackage } from '../../rtl-gen/package.js';
import { packageRoot } from '../../util/package-root.js';
import { tempDir } from '../support/tmp.js';

const config = (name: string) => resolveConfig(JSON.parse(readFileSync(join(packageRoot(), 'examples', name, 'config.json'), 'utf8')));
const dense = config('e4m3-e4m7');
const sparse = config('sparse-2-4');
const names = (p: ReturnType<typeof rtlPackage>) => p.rtl.modules.map((m) => m.name);

describe('rtl-gen: module names of one design', function () {
  this.timeout(120_000);

  it('without a prefix two configurations share module names (the top at least)', () => {
    const shared = names(rtlPackage(dense)).filter((n) => names(rtlPackage(sparse)).includes(n));
    expect(shared).to.include('lbamac_array');
  });

  it('--prefix renames every module, in every file; --top names the top and its filelist and core file', () => {
    const p = rtlPackage(dense, { prefix: 'x_', top: 'dense_array' });
    expect(p.rtl.top).to.equal('dense_array');
    expect(p.rtl.arch.top).to.equal('dense_array');
    expect(p.rtl.pe.startsWith('x_lbamac_pe')).to.equal(true);
    expect(names(p).filter((n) => n !== 'dense_array').every((n) => n.startsWith('x_lbamac_'))).to.equal(true);
    expect(p.files.map((f) => f.path)).to.include.members(['dense_array.v', 'dense_array.f', 'dense_array.core']);
    for (const f of p.files) expect(f.text, f.path).not.to.match(/(^|[^_])\blbamac_(array|pe|grid|delay|mul|add|round|clz)/m);
    expect(JSON.parse(p.files.find((f) => f.path === 'manifest.json')!.text).top).to.equal('dense_array');
  });

  it('two configurations with different prefixes in one directory: no file twice, and verilator -Wall lints both tops together', () => {
    requireTool('verilator');
    const dir = tempDir('names');
    const a = rtlPackage(dense, { prefix: 'dense_' });
    const b = rtlPackage(sparse, { prefix: 'sparse_' });
    const verilog = [...a.rtl.files, ...b.rtl.files];
    expect(new Set(verilog.map((f) => f.path)).size).to.equal(verilog.length);
    for (const f of verilog) writeFileSync(join(dir, f.path), f.text);
    // Both tops on one command line: a module name used twice would be a duplicate declaration.
    const r = spawnSync('verilator', ['--lint-only', '-Wall', '-Wno-MULTITOP', '-y', dir, join(dir, `${a.rtl.top}.v`), join(dir, `${b.rtl.top}.v`)], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(`${r.stdout}${r.stderr}`.trim()).to.equal('');
  });

  it('a name must be a Verilog identifier, and a top name not a keyword', () => {
    expect(identifierProblem('my_top', false)).to.equal(null);
    expect(identifierProblem('1x', true)).to.equal('syntax');
    expect(identifierProblem('a-b', false)).to.equal('syntax');
    expect(identifierProblem('module', false)).to.equal('keyword');
    expect(identifierProblem('module', true)).to.equal(null); // a prefix is never the whole name
    expect(identifierProblem('', true)).to.equal(null);
    expect(identifierProblem('', false)).to.equal('syntax');
    expect(() => rtlPackage(dense, { prefix: 'x_', top: names(rtlPackage(dense, { prefix: 'x_' }))[0]! })).to.throw(/is also the name of a module/);
  });
});
