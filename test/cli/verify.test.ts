// `lbamac verify` and `lbamac gemm --engine verilator`, run as a user would: a passing
// configuration, the build cache, the Icarus testbench it can write and run, a corrupted Verilog directory (the mismatch names the cycle,
// port, PE and both values, exit 1), bad options, a missing Verilator, and the Verilator engine
// giving the simulator's D and cycles on OS and WS jobs (WS with K tiles fed back, chunked).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../config/resolve.js';
import { generateRtl } from '../../rtl-gen/generate.js';
import { configHash } from '../../rtl-gen/hdl/config-text.js';
import { tempDir } from '../support/tmp.js';
import { compiledCli, filesIn, fixture, type Run, ROOT } from './run.js';

/** The CLI with its Verilator builds cached in `buildDir`, and optionally another PATH. */
function lbamacWith(env: { buildDir: string; path?: string }, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [compiledCli(), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LBAMAC_BUILD_DIR: env.buildDir, ...(env.path === undefined ? {} : { PATH: env.path }) },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OS_CONFIG = { rows: 2, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: { exp: 4, man: 7, bias: 10 }, rounding: { product: 'rtz', acc: 'rtz' } };
const WS_CONFIG = { rows: 2, cols: 3, dataflow: 'ws', a: 'e4m3', w: 'e5m2', product: 'exact', acc: 'fp16', chunk: 3, total: 'e6m12', rounding: { acc: 'rna', total: 'rne' } };

describe('cli: verify and the verilator engine', function () {
  this.timeout(600_000);
  const buildDir = tempDir('verify-builds');

  it('verify passes a configuration; the second run uses the cached build', () => {
    const dir = fixture({ 'config.json': OS_CONFIG });
    const first = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--vectors', '8', '--seed', '3');
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/Verilator build: \d+\.\d s/);
    expect(first.stdout).to.match(/verify: 8 random jobs \(seed 3\), \d+ cycles: every output port of the RTL matched the simulator in every cycle/);
    const tb = join(dir, 'icarus');
    const second = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--vectors', '8', '--seed', '4', '--icarus', tb);
    expect(second.status, second.stderr).to.equal(0);
    expect(second.stdout).to.match(/Verilator build: cached/);
    expect(second.stdout).to.match(/Icarus testbench \(.*icarus\): job 1, \d+ cycles, no mismatch/);
    expect(filesIn(tb)).to.include.members(['lbamac_array_tb.v', 'stimulus.hex', 'expected.hex', `${generateRtl(resolveConfig(OS_CONFIG)).top}.v`]);
  });

  it('verify --rtl takes a design renamed by gen --prefix and --top (the manifest names its top)', () => {
    const dir = fixture({ 'config.json': OS_CONFIG });
    const rtl = join(dir, 'rtl');
    const gen = lbamacWith({ buildDir }, 'gen', '--config', join(dir, 'config.json'), '-o', rtl, '--prefix', 'p_', '--top', 'my_top');
    expect(gen.status, gen.stderr).to.equal(0);
    expect(filesIn(rtl)).to.include('my_top.v');
    const r = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--rtl', rtl, '--vectors', '3');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/every output port of the RTL matched the simulator in every cycle/);
  });

  it('verify --rtl on corrupted Verilog names the cycle, port, PE and both values and exits 1', () => {
    const rtl = generateRtl(resolveConfig(OS_CONFIG));
    const dir = fixture({ 'config.json': OS_CONFIG });
    for (const f of rtl.files) writeFileSync(join(dir, f.path), f.text);
    // Column 1 of D leaves without a deskew register: flip its lowest bit.
    const top = join(dir, `${rtl.top}.v`);
    const text = readFileSync(top, 'utf8');
    const line = /assign d_data\[(\d+):(\d+)\] = acc_top\[\d+:\d+\];/.exec(text);
    expect(line, 'the generated top drives d_data[1] with an assign').to.not.equal(null);
    writeFileSync(top, text.replace(line![0], line![0].replace(';', ` ^ ${Number(line![1]) - Number(line![2]) + 1}'d1;`)));
    const r = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--rtl', dir, '--vectors', '3');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/lbamac: verify: 3 of 3 jobs disagree; the first:/);
    expect(r.stderr).to.match(/lbamac: +cycle 0: d_data\[1\] \(column 1, from PE\(0, 1\)\): RTL 0x001 \(.+\), simulator 0x000 \(0\)/);
    expect(r.stderr).to.match(/mismatching values? in \d+ of \d+ cycles/);
  });

  it('verify --rtl on the RTL of another configuration names both hashes before building anything', () => {
    const dir = fixture({ 'os.json': OS_CONFIG, 'ws.json': WS_CONFIG });
    const rtl = join(dir, 'ws-rtl');
    expect(lbamacWith({ buildDir }, 'gen', '--config', join(dir, 'ws.json'), '-o', rtl).status).to.equal(0);
    const r = lbamacWith({ buildDir: tempDir('verify-none') }, 'verify', '--config', join(dir, 'os.json'), '--rtl', rtl);
    expect(r.status).to.equal(1);
    const [ws, os] = [WS_CONFIG, OS_CONFIG].map((c) => configHash(resolveConfig(c)));
    expect(r.stderr).to.equal(`lbamac: --rtl ${rtl}: its manifest.json is for the configuration with hash ${ws}, --config has hash ${os}; regenerate it with \`lbamac gen --config … -o ${rtl}\` or pass that configuration\n`);
  });

  it('bad options and a missing Verilator are errors that say what to do', () => {
    const dir = fixture({ 'config.json': OS_CONFIG });
    const zero = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--vectors', '0');
    expect(zero.status).to.equal(1);
    expect(zero.stderr).to.equal('lbamac: --vectors 0: expected a whole number of at least 1\n');
    const noDir = lbamacWith({ buildDir }, 'verify', '--config', join(dir, 'config.json'), '--rtl', join(dir, 'nowhere'));
    expect(noDir.status).to.equal(1);
    expect(noDir.stderr).to.match(/--rtl .*nowhere: cannot read the directory/);
    const noTool = lbamacWith({ buildDir: tempDir('verify-none'), path: '/nonexistent' }, 'verify', '--config', join(dir, 'config.json'));
    expect(noTool.status).to.equal(1);
    expect(noTool.stderr).to.match(/verilator is not installed .*apt-get install verilator/);
  });

  for (const [name, cfg, shape] of [
    ['OS, several tiles, with C', OS_CONFIG, { M: 5, K: 7, N: 3, c: true }],
    ['WS, chunked, two K tiles fed back, two column tiles', WS_CONFIG, { M: 4, K: 5, N: 5, c: false }],
  ] as const) {
    it(`gemm --engine verilator gives the simulator's D and cycles (${name})`, () => {
      const codes = (rows: number, cols: number, seed: number, mod: number) => Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => `0x${(((i * 31 + j * 17 + seed) * 2654435761) % mod).toString(16)}`));
      const res = resolveConfig(cfg);
      const files: Record<string, unknown> = { 'config.json': cfg, 'a.json': codes(shape.M, shape.K, 1, 2 ** res.a.width), 'b.json': codes(shape.K, shape.N, 2, 2 ** res.w.width) };
      if (shape.c) files['c.json'] = codes(shape.M, shape.N, 3, 2 ** res.acc.width);
      const dir = fixture(files);
      const args = ['gemm', '--config', join(dir, 'config.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), ...(shape.c ? ['--c', join(dir, 'c.json')] : [])];
      const sim = lbamacWith({ buildDir }, ...args, '--engine', 'sim');
      const rtl = lbamacWith({ buildDir }, ...args, '--engine', 'verilator');
      expect(sim.status, sim.stderr).to.equal(0);
      expect(rtl.status, rtl.stderr).to.equal(0);
      // The build and the run are synchronous: a line says what is happening before they start.
      expect(rtl.stderr).to.match(/^lbamac: gemm --engine verilator: building the generated Verilog with Verilator/m);
      const s = JSON.parse(sim.stdout) as { D: string[][]; cycles: number; events: unknown };
      const v = JSON.parse(rtl.stdout) as { engine: string; D: string[][]; cycles: number; events: unknown };
      expect(v.engine).to.equal('verilator');
      expect(v.D).to.deep.equal(s.D);
      expect(v.cycles).to.equal(s.cycles);
      expect(v.events).to.deep.equal(s.events);
    });
  }
});
