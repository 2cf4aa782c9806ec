// `lbamac synth` as a user runs it: target validation, the table, the JSON report, the cache.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSynthReport } from '../../cli/commands/synth.js';
import { resolveConfig } from '../../config/resolve.js';
import { tempDir } from '../support/tmp.js';
import { compiledCli, fixture, lbamac, ROOT } from './run.js';

const CONFIG = { rows: 1, cols: 2, a: 'e2m1', w: 'e2m1', product: 'exact', acc: 'e3m4', rounding: { acc: 'rtz' } };

/** The CLI with its synthesis cache in `cacheDir`. */
function synth(cacheDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [compiledCli(), 'synth', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LBAMAC_SYNTH_CACHE: cacheDir },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: synth', function () {
  this.timeout(240_000);

  it('an unknown --target exits 1 naming the allowed values', () => {
    const dir = fixture({ 'cfg.json': CONFIG });
    const r = lbamac('synth', '--config', join(dir, 'cfg.json'), '--target', 'asic');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('lbamac: unknown synthesis target "asic"; allowed: ice40, ecp5, xilinx, gates');
  });

  it('--pnr with a target other than ice40 exits 1', () => {
    const dir = fixture({ 'cfg.json': CONFIG });
    const r = lbamac('synth', '--config', join(dir, 'cfg.json'), '--target', 'gates', '--pnr');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/--pnr .* needs --target ice40/);
  });

  it('prints PE and array beside the fp32 baseline with ratios, writes the JSON, and reruns from the cache', () => {
    const dir = fixture({ 'cfg.json': CONFIG });
    const cache = tempDir('cli-synth-cache');
    const out = join(dir, 'report.json');
    const r = synth(cache, '--config', join(dir, 'cfg.json'), '--json', out);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^lbamac synth: 1x2 output-stationary, dense, a e2m1, w e2m1, exact product, acc e3m4 \(rtz\)\n/);
    for (const label of ['flip-flops', 'gates', 'area (gates+FFs)', 'logic depth (cells)', 'PE ratio', 'array ratio']) expect(r.stdout).to.include(label);
    expect(r.stdout).to.match(/With its 8-bit accumulator the PE needs \d+% fewer gates\+FFs than with fp32 accumulation/);
    expect(r.stdout).to.not.include('cached');
    // Progress on stderr although it is no terminal here: every step with the time so far.
    for (const step of ['this config: PE', 'this config: 1x2 array edge', 'fp32 accumulation: PE']) expect(r.stderr).to.match(new RegExp(`^lbamac synth: ${step}.* \\(\\d+ s so far\\)$`, 'm'));
    expect(r.stdout).to.include('array = edge + rows × cols PEs');

    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      design: { pe: { area: number }; array: { area: number } };
      fp32: { config: { acc: { exp: number; man: number } }; pe: { area: number }; array: { area: number } };
      ratio: { pe: number; array: number };
    };
    expect(report.fp32.config.acc).to.include({ exp: 8, man: 23 });
    expect(report.ratio.pe).to.be.closeTo(report.design.pe.area / report.fp32.pe.area, 1e-12);
    expect(report.ratio.array).to.be.closeTo(report.design.array.area / report.fp32.array.area, 1e-12);
    // Two PEs and their edge registers: the array is bigger than one PE.
    expect(report.design.array.area).to.be.greaterThan(report.design.pe.area);
    const peRatio = new RegExp(`area \\(gates\\+FFs\\)\\s+${report.design.pe.area}\\s+${report.design.array.area}\\s+${report.fp32.pe.area}\\s+${report.fp32.array.area}\\s+${report.ratio.pe.toFixed(2)}`);
    expect(r.stdout).to.match(peRatio);

    const again = synth(cache, '--config', join(dir, 'cfg.json'));
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout.match(/ cached/g)).to.have.length(4);
    expect(existsSync(out)).to.equal(true);
  });

  it('a synthesis cache that cannot be written is a warning, not a failure', () => {
    const dir = fixture({ 'cfg.json': CONFIG, 'file': 'not a directory' });
    const r = synth(join(dir, 'file', 'cache'), '--config', join(dir, 'cfg.json'));
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^lbamac: warning: the synthesis cache .*file\/cache cannot be written .*; results are not kept$/m);
    expect(r.stderr.match(/warning/g)).to.have.length(1);
    expect(r.stdout).to.include('PE ratio');
  });
});

describe('cli: synth report text', () => {
  const result = (area: number) => ({
    target: 'gates',
    top: 't',
    resources: { counts: { lut: 0, ff: area / 2, carry: 0, dsp: 0, bram: 0, lutram: 0, mux: 0, gate: area / 2 }, other: {}, byType: {}, portBits: 0 },
    area,
    unit: 'gates+FFs',
    depth: 5,
    yosys: 'y',
    generator: 'g',
    seconds: 1,
    warnings: [],
    cached: false,
  });
  const design = (area: number) => ({ config: {}, pe: result(area), array: result(4 * area), flat: false, pnr: null });
  const report = { target: 'gates', design: design(150), fp32: design(100), ratio: { pe: 1.5, array: 1.5 } } as never;

  it('names the width of a fixed-point register, not of the format it rounds into', () => {
    const kulisch = resolveConfig({ preset: 'kulisch-fp8', rows: 1, cols: 1 });
    expect(renderSynthReport(kulisch, report)).to.match(/With its 49-bit fixed-point register the PE needs 50% more gates\+FFs/);
    expect(renderSynthReport(resolveConfig({ rows: 1, cols: 1, a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m7_b10' }), report)).to.match(/With its 12-bit accumulator/);
  });
});
