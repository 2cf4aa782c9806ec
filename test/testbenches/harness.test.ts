// The Verilator harness for single units: build cache, binary and hex case files.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixed } from '../../core/fixed.js';
import { parseFormatName as F } from '../../core/format.js';
import { dotAddModule } from '../../rtl-gen/lib/dot-add.js';
import { fixedAddModule } from '../../rtl-gen/lib/fixed-add.js';
import { buildHarness, CaseBatch, harnessCpp, runHarness, runHarnessHex, wrapperTop } from '../../testbenches/verilator.js';
import { moduleFor, reference, type UnitSpec } from '../rtl-gen/units.js';

const UNITS: UnitSpec[] = [
  { kind: 'mul', a: F('e2m1'), b: F('e3m2'), out: F('e3m1'), mode: 'rne' },
  { kind: 'fma', a: F('e2m1'), b: F('e2m1'), c: F('e3m2_ftz'), out: F('e3m2_ftz'), mode: 'rna' },
];

describe('testbenches: Verilator harness', function () {
  this.timeout(300_000);
  let outDir = '';
  before(() => {
    outDir = mkdtempSync(join(tmpdir(), 'lbamac-harness-'));
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('generates a wrapper top and a C++ main for several units', () => {
    const mods = UNITS.map(moduleFor);
    const top = wrapperTop(mods);
    expect(top).to.include(`${mods[0]!.name} u0 (.a(u0_a), .b(u0_b), .product(u0_product), .flags(u0_flags));`);
    expect(top).to.include(`${mods[1]!.name} u1 (.a(u1_a), .b(u1_b), .c(u1_c), .result(u1_result), .flags(u1_flags));`);
    const cpp = harnessCpp(mods);
    expect(cpp).to.include('static const unsigned kInWords = 3;');
    expect(cpp).to.include('top.u1_c = in[2] & 0x3fu;');
  });

  it('passes a dot-product cell\'s packed products as several words, least significant first', () => {
    const cell = (lanes: number) => dotAddModule(F('e4m7_b10'), F('fp16'), { lanes, alignBits: 6 }, 'rtz');
    const cpp = harnessCpp([cell(4), cell(8)]); // p: 64 and 128 bits
    expect(cpp).to.include('static const unsigned kInWords = 5;'); // acc and 4 words of p
    expect(cpp).to.include('top.u0_p = (static_cast<uint64_t>(in[2] & 0xffffffffu) << 32) | in[1];');
    expect(cpp).to.include('top.u1_p[3] = in[4] & 0xffffffffu;');
  });

  it('passes ports wider than 32 bits as several words, least significant first', () => {
    // The 102-bit fixed-point register's 105-bit state bus (four words) and a 52-bit one (two).
    const wide = fixedAddModule(F('fp16'), makeFixed({ msb: 70, lsb: -30, overflow: 'saturate' }), 'rne');
    const narrow = fixedAddModule(F('fp16'), makeFixed({ msb: 29, lsb: -18, overflow: 'wrap' }), 'rne');
    const cpp = harnessCpp([wide, narrow]);
    expect(cpp).to.include('static const unsigned kInWords = 5;');
    expect(cpp).to.include('static const unsigned kOutWords = 6;');
    expect(cpp).to.include('top.u0_acc[3] = in[3] & 0x1ffu;');
    expect(cpp).to.include('top.u0_p = in[4] & 0xffffu;');
    expect(cpp).to.include('out[3] = top.u0_acc_next[3];');
    expect(cpp).to.include('top.u1_acc = (static_cast<uint64_t>(in[1] & 0xfffffu) << 32) | in[0];');
    expect(cpp).to.include('out[1] = static_cast<uint32_t>(top.u1_acc_next >> 32);');
  });

  it('builds once, then finds the build in the cache; binary and hex cases agree with the core', () => {
    const mods = UNITS.map(moduleFor);
    const first = buildHarness(mods, { outDir });
    const second = buildHarness(mods, { outDir });
    console.log(`        build ${first.built ? 'took' : 'was cached:'} ${first.seconds.toFixed(1)} s; second call ${second.seconds.toFixed(3)} s`);
    expect(first.built).to.equal(true);
    expect(second.built).to.equal(false);
    expect(second.exe).to.equal(first.exe);
    expect(second.seconds).to.be.lessThan(2);

    // Every case of both (small) units, in one run.
    const batch = new CaseBatch(first.inWords, 4);
    const cases: [number, number[]][] = [];
    for (let a = 0; a < 16; a++) for (let b = 0; b < 64; b++) cases.push([0, [a, b]]);
    for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) for (let c = 0; c < 64; c++) cases.push([1, [a, b, c]]);
    for (const [u, ops] of cases) batch.push(u, ...ops);
    const out = runHarness(first, batch);
    let bad = 0;
    cases.forEach(([u, ops], i) => {
      const [code, flags] = reference(UNITS[u]!, ops);
      if (out[2 * i] !== code || out[2 * i + 1] !== flags) bad++;
    });
    expect(bad).to.equal(0);

    const hexIn = cases.slice(0, 300).map(([u, ops]) => [u, ...ops].map((x) => x.toString(16)).join(' ')).join('\n');
    const hexOut = runHarnessHex(first, hexIn).trim().split('\n');
    expect(hexOut).to.have.length(300);
    hexOut.forEach((line, i) => expect(line).to.equal(`${out[2 * i]!.toString(16)} ${out[2 * i + 1]!.toString(16)}`));
  });

  it('a case naming no unit is an error', () => {
    const b = buildHarness(UNITS.map(moduleFor), { outDir });
    const batch = new CaseBatch(b.inWords);
    batch.push(7, 1, 2, 3);
    expect(() => runHarness(b, batch)).to.throw(/no unit 7/);
  });
});
