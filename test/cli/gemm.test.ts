import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesIn, fixture, lbamac, ROOT } from './run.js';

const EXAMPLES = ['e4m3-e4m7', 'sparse-2-4'];

function exampleArgs(name: string): string[] {
  const dir = join(ROOT, 'examples', name);
  return ['--config', join(dir, 'config.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')];
}

const CONFIG = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' };
const A = [
  [1, 2],
  [3, 4],
];
const B = [
  [0.5, -1],
  [1, 0.25],
];

describe('cli: gemm', function () {
  this.timeout(30_000); // each case spawns node
  for (const name of EXAMPLES) {
    it(`examples/${name}: golden and core give the same D`, () => {
      const golden = lbamac('gemm', ...exampleArgs(name), '--engine', 'golden');
      const core = lbamac('gemm', ...exampleArgs(name), '--engine', 'core');
      expect(golden.stderr).to.equal('');
      expect(core.stderr).to.equal('');
      expect([golden.status, core.status]).to.deep.equal([0, 0]);
      const g = JSON.parse(golden.stdout);
      const c = JSON.parse(core.stdout);
      expect(c.D).to.deep.equal(g.D);
      expect(c.values).to.deep.equal(g.values);
      expect(c.events).to.deep.equal(g.events);
      expect([g.engine, c.engine]).to.deep.equal(['golden', 'core']);
    });
  }

  it('warns on stderr, one line per matrix, when real inputs overflow, underflow or round, and records the counts in the JSON', () => {
    const a = [
      [1e6, 'inf', 1.1, 2 ** -11],
      [1, 2, 3, 4],
      [1, 2, 3, '-inf'],
    ];
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': a, 'b.json': [[1], [1], [1], [1]] });
    const out = join(dir, 'd.json');
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--out', out);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal("lbamac: warning: A (e4m3): 3 of 12 values overflowed (largest inf became 448 = e4m3's largest finite), 1 underflowed (became zero or subnormal), 1 rounded\n");
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.inputs.A).to.deep.include({ values: 12, overflow: 3, underflow: 1, inexact: 1, largestOverflow: { value: 'inf', became: 448 } });
    expect(d.inputs.B).to.deep.include({ values: 4, overflow: 0, underflow: 0, inexact: 0 });
  });

  it('writes --out whole, creating parent directories, with the result of the default engine (core)', () => {
    const dir = fixture({ 'cfg.json': CONFIG, 'a.json': A, 'b.json': B, 'c.json': [['0x3c00', 'nan'], [-1, '-inf']] });
    const out = join(dir, 'deep', 'er', 'd.json');
    const r = lbamac('gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--c', join(dir, 'c.json'), '--out', out);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`wrote ${out}\n`);
    expect(filesIn(join(dir, 'deep', 'er'))).to.deep.equal(['d.json']); // no temp file left over
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.engine).to.equal('core');
    expect(d.cycles).to.equal(null);
    expect(d.format).to.deep.include({ name: 'fp16', exp: 5, man: 10 });
    // C + A·B: 1 + (0.5 + 2) = 3.5, NaN, -1 + (1.5 + 4) = 4.5, -inf
    expect(d.values).to.deep.equal([
      [3.5, 'nan'],
      [4.5, '-inf'],
    ]);
    expect(d.D).to.deep.equal([
      ['0x4300', '0x7e00'],
      ['0x4480', '0xfc00'],
    ]);
  });
});

describe('cli: gemm with a fixed-point accumulator', function () {
  this.timeout(60_000);
  // Multiples of 1/4 in [-16, 15.75]: 1 + 2 + 0.375 (→ 0.5, rne onto the grid) = 3.5; 8 + 8 saturates.
  const cfg = { a: 'fp16', w: 'fp16', product: 'exact', acc: { fixed: { msb: 3, lsb: -2 }, overflow: 'saturate', out: 'fp16' } };
  const a = [
    [1, 2, 0.375],
    [8, 8, 0],
  ];
  const b = [[1], [1], [1]];
  const args = (dir: string) => ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json')];

  it('core and golden give the same D (codes of out) and events', () => {
    const dir = fixture({ 'cfg.json': cfg, 'a.json': a, 'b.json': b });
    const [golden, core] = ['golden', 'core'].map((engine) => lbamac(...args(dir), '--engine', engine));
    expect([golden!.status, core!.status], golden!.stderr + core!.stderr).to.deep.equal([0, 0]);
    const g = JSON.parse(golden!.stdout);
    const c = JSON.parse(core!.stdout);
    expect(g.format).to.deep.include({ name: 'fp16' });
    expect(g.values).to.deep.equal([[3.5], [15.75]]);
    expect(g.D).to.deep.equal([['0x4300'], ['0x4be0']]);
    expect(g.events).to.deep.include({ accOverflow: 1, swamping: 0 });
    expect({ D: c.D, values: c.values, events: c.events }).to.deep.equal({ D: g.D, values: g.values, events: g.events });
  });

  for (const engine of ['sim', 'verilator']) {
    it(`--engine ${engine} refuses it: not yet in the array`, () => {
      const dir = fixture({ 'cfg.json': cfg, 'a.json': a, 'b.json': b });
      const r = lbamac(...args(dir), '--engine', engine);
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/lbamac: array: the accumulator fixed\(msb 3, lsb -2, saturate\) into fp16 is fixed-point, which is not yet in the array/);
      expect(r.stderr).not.to.match(/\n\s+at /);
    });
  }
});

/** Every way a job can be wrong: exit 1, one message naming file, position and value, no output. */
describe('cli: gemm input errors', function () {
  this.timeout(30_000);
  const cases: { name: string; files: Record<string, unknown>; withC?: boolean; expected: RegExp[] }[] = [
    {
      name: 'ragged matrix',
      files: { 'a.json': [[1, 2], [3, 4], [5]] },
      expected: [/a\.json: row 2 has 1 element but row 0 has 2/],
    },
    {
      name: 'A and B shapes that do not chain',
      files: { 'b.json': [[1, 2], [3, 4], [5, 6]] },
      expected: [/shape mismatch: A \(\S*a\.json\) is 2×2 and B \(\S*b\.json\) is 3×2/],
    },
    {
      name: 'C of the wrong shape',
      files: { 'c.json': [[1, 2]] },
      withC: true,
      expected: [/C \(\S*c\.json\) is 1×2 but D = A·B is 2×2/],
    },
    {
      name: 'a malformed hex pattern',
      files: { 'b.json': [[1, '0xZZ'], [3, 4]] },
      expected: [/b\.json at \[0\]\[1\]: "0xZZ" is not an element/, /"0x…" bit pattern/],
    },
    {
      name: 'a bit pattern too wide for the format',
      files: { 'a.json': [[1, 2], ['0x100', 4]] },
      expected: [/a\.json at \[1\]\[0\]: bit pattern "0x100" does not fit e4m3 \(8 bits\); allowed 0x0 to 0xff/],
    },
    {
      name: 'a number beyond float64',
      files: { 'a.json': '[[1, 2], [3, 1e999]]' },
      expected: [/a\.json at \[1\]\[1\]: the number parses as Infinity/, /"inf"/],
    },
    {
      name: 'an element of the wrong type',
      files: { 'a.json': [[1, true], [3, 4]] },
      expected: [/a\.json at \[0\]\[1\]: true is not an element/],
    },
    {
      name: 'malformed JSON',
      files: { 'b.json': '[[1, 2], [3, 4]' },
      expected: [/b\.json: not valid JSON \(.+\)/],
    },
    {
      name: 'an unknown config key',
      files: { 'cfg.json': { ...CONFIG, colums: 4 } },
      expected: [/cfg\.json: config: unknown key "colums"; allowed keys: rows, cols/],
    },
    {
      name: 'a fixed-point accumulator with chunk',
      files: { 'cfg.json': { ...CONFIG, acc: { fixed: { msb: 3, lsb: -2 }, overflow: 'wrap', out: 'fp16' }, chunk: 4 } },
      expected: [/cfg\.json: config\.chunk = 4 is not allowed with a fixed-point accumulator/],
    },
    {
      name: 'a config value out of range',
      files: { 'cfg.json': { ...CONFIG, rows: 0 } },
      expected: [/cfg\.json: config\.rows: must be from 1 to 256 \(got 0\)/],
    },
    {
      name: 'a 2:4 violation',
      files: {
        'cfg.json': { ...CONFIG, sparsity: '2:4' },
        'a.json': [[1, 1, 1, 1, 1]],
        'b.json': [[1], [0], ['0x38'], [-2], [1]],
      },
      expected: [/b\.json: 2:4 sparsity violated in column 0, group 0 \(rows 0-3\): 3 nonzeros at rows 0, 2, 3 \(values 1, "0x38", -2\)/],
    },
    {
      name: 'a missing file',
      files: { 'a.json': undefined },
      expected: [/a\.json: cannot read the file \(no such file\)/],
    },
  ];

  for (const { name, files, withC, expected } of cases) {
    it(name, () => {
      const all = { 'cfg.json': CONFIG, 'a.json': A, 'b.json': B, 'c.json': A, ...files };
      const dir = fixture(Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)));
      const out = join(dir, 'out', 'd.json');
      const args = ['gemm', '--config', join(dir, 'cfg.json'), '--a', join(dir, 'a.json'), '--b', join(dir, 'b.json'), '--out', out];
      const r = lbamac(...args, ...(withC ? ['--c', join(dir, 'c.json')] : []));
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/^lbamac: /);
      expect(r.stderr).not.to.match(/\n\s+at /); // a message, not a stack trace
      for (const re of expected) expect(r.stderr).to.match(re);
      expect(existsSync(join(dir, 'out'))).to.equal(false);
    });
  }
});
