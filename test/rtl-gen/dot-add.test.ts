// The dot-product cell's adder (rtl-gen/lib/dot-add.ts) under Verilator against core/dot.ts's
// DotKernel, bit for bit: the sum's code, the flags (the rounding's EV_* flags of core/arith.ts and
// EV_INVALID where the kernel counts a nan event) and the swamped count (the kernel's swamping
// events; with one lane, where the kernel applies §5's rule instead, the products whose leading bit
// lies below the window, from golden/exact.ts). Rounded and fused cells, G = 1..32, narrow, medium
// and exact windows, every rounding mode, in one Verilator build (cached in out/verilator/). Every
// module is lint-clean and compiles under Icarus; one is synthesized by Yosys and its netlist run
// against the core.
import { synthesizeNetlist } from './yosys-netlist.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert, EV_INVALID, isFiniteCode, mul, RNE, roundingCode, status } from '../../core/arith.js';
import { DotKernel } from '../../core/dot.js';
import { type Format, parseFormatName as F, type RoundingMode } from '../../core/format.js';
import type { AlignBits } from '../../core/lanes.js';
import { EVI, MacKernel } from '../../core/mac.js';
import { decode, type Exact, exactMul, ilog2 } from '../../golden/exact.js';
import { requireTool } from '../../cosim/tools.js';
import { Design, type VModule } from '../../rtl-gen/back/module.js';
import { DOT_WINDOW_LIMIT, dotAddModule, dotFmaModule } from '../../rtl-gen/lib/dot-add.js';
import { runIcarus, type TestVector } from '../../testbenches/icarus.js';
import { buildHarness, CaseBatch, type HarnessBuild, runHarness } from '../../testbenches/verilator.js';
import { runAll } from '../support/run-all.js';
import { codeNearExponent, cornerCodes, negate, randInt, randomCode, rng } from './units.js';

type DotUnit =
  | { kind: 'rounded'; acc: Format; p: Format; lanes: number; alignBits: AlignBits; mode: RoundingMode }
  | { kind: 'fused'; a: Format; w: Format; acc: Format; lanes: number; alignBits: AlignBits; mode: RoundingMode };

const R = (acc: string, p: string, lanes: number, alignBits: AlignBits, mode: RoundingMode): DotUnit => ({ kind: 'rounded', acc: F(acc), p: F(p), lanes, alignBits, mode });
const X = (a: string, w: string, acc: string, lanes: number, alignBits: AlignBits, mode: RoundingMode): DotUnit => ({ kind: 'fused', a: F(a), w: F(w), acc: F(acc), lanes, alignBits, mode });

/** Every lane count, narrow (3..8), medium (10..24) and exact windows, every mode in both kinds;
 *  products e5m10, e6m7, e3m4, inputs e4m3, e5m2; accumulators e4m7_b10, e5m10, e8m13, with
 *  ftz, fn and none among them, and far-off biases. */
const UNITS: DotUnit[] = [
  R('e4m7_b10', 'e5m10', 2, 3, 'rtz'),
  R('e4m7_b10', 'e3m4', 4, 6, 'rne'),
  R('e8m13', 'e5m10', 8, 14, 'rne'),
  R('e5m10', 'e6m7', 16, 10, 'rna'),
  R('e8m13', 'e6m7_ftz', 32, 24, 'rdn'),
  R('e4m7_b10_ftz', 'e3m4_fn', 8, 'exact', 'rup'),
  R('e5m10', 'e3m4_none', 32, 5, 'rod'),
  R('e8m13_none', 'e5m10', 4, 'exact', 'rdn'),
  R('e4m7_b10_none', 'e5m10_ftz', 16, 'exact', 'rtz'),
  R('e5m10', 'e6m7', 2, 20, 'rup'),
  R('e4m7_b10', 'e5m10', 1, 4, 'rna'),
  X('e4m3', 'e4m3', 'e4m7_b10', 4, 6, 'rtz'),
  X('e5m2', 'e5m2', 'e8m13', 8, 14, 'rne'),
  X('e4m3', 'e5m2', 'e5m10', 16, 'exact', 'rna'),
  X('e4m3', 'e4m3', 'e4m7_b10_ftz', 32, 8, 'rdn'),
  X('e5m2', 'e4m3', 'e8m13', 2, 24, 'rup'),
  X('e4m3', 'e4m3', 'e4m7_b10_none', 8, 'exact', 'rod'),
  X('e5m2', 'e5m2', 'e5m10', 32, 'exact', 'rtz'),
  X('e4m3', 'e4m3', 'e8m13', 16, 12, 'rod'),
  X('e5m2_ftz', 'e4m3', 'e4m7_b10', 2, 3, 'rne'),
  X('e4m3', 'e5m2', 'e8m13_ftz', 4, 'exact', 'rdn'),
  X('e4m3', 'e4m3', 'e4m7_b10', 1, 5, 'rup'),
  // Biases far from the default: exponent wires sized by the rebiasing constants.
  R('e4m7_b10', 'e5m10_b40', 8, 8, 'rne'),
  X('e4m3', 'e5m2_bn20', 'e8m13', 4, 16, 'rna'),
];

const CASES_PER_UNIT = 6000;

function moduleOf(u: DotUnit): VModule {
  const cell = { lanes: u.lanes, alignBits: u.alignBits };
  return u.kind === 'rounded' ? dotAddModule(u.acc, u.p, cell, u.mode) : dotFmaModule(u.a, u.w, u.acc, cell, u.mode);
}

function describe_(u: DotUnit): string {
  const terms = u.kind === 'rounded' ? `${u.lanes} x ${u.p.name}` : `${u.lanes} x ${u.a.name} * ${u.w.name}`;
  return `${u.kind} ${u.acc.name} + ${terms}, alignBits ${u.alignBits}, ${u.mode}`;
}

/** One step's inputs: the accumulator code and, per lane, a product code (rounded) or a and w codes. */
interface Step {
  acc: number;
  x: number[];
  y: number[];
}

/** Lowest and highest binade of a term kind's nonzero values (unbiased). */
function span(f: Format): [number, number] {
  return [f.emin - f.man, f.emax];
}

function productSpan(u: DotUnit): [number, number] {
  if (u.kind === 'rounded') return span(u.p);
  const [alo, ahi] = span(u.a);
  const [wlo, whi] = span(u.w);
  return [alo + wlo, ahi + whi + 1];
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function finiteCode(f: Format, r: () => number): number {
  for (;;) {
    const c = randomCode(f, r);
    if (isFiniteCode(c, f)) return c;
  }
}

function signedZero(f: Format, r: () => number): number {
  return r() < 0.5 ? 0 : f.signBit;
}

/** Corner-biased steps: clustered terms (alignment, swamping), cancelling pairs, all zeros of either
 *  sign, specials, terms near overflow and near underflow, and independent corner-biased codes. */
class StepMaker {
  private readonly lo: number;
  private readonly hi: number;
  constructor(private readonly u: DotUnit, private readonly r: () => number) {
    const [plo, phi] = productSpan(u);
    const [alo, ahi] = span(u.acc);
    const lo = Math.max(plo, alo);
    const hi = Math.min(phi, ahi);
    [this.lo, this.hi] = lo <= hi ? [lo - 2, hi + 1] : [Math.min(plo, alo), Math.max(phi, ahi)];
  }

  /** Lane j near binade e (random sign): a product code, or a and w whose product lands there. */
  private laneNear(s: Step, j: number, e: number): void {
    const { u, r } = this;
    if (u.kind === 'rounded') {
      s.x[j] = codeNearExponent(u.p, e, r);
      return;
    }
    const ea = randInt(r, u.a.emin - u.a.man, u.a.emax);
    s.x[j] = codeNearExponent(u.a, ea, r);
    s.y[j] = codeNearExponent(u.w, e - ea, r);
  }

  private laneZero(s: Step, j: number): void {
    const { u, r } = this;
    if (u.kind === 'rounded') {
      s.x[j] = signedZero(u.p, r);
      return;
    }
    s.x[j] = r() < 0.5 ? signedZero(u.a, r) : finiteCode(u.a, r);
    s.y[j] = s.x[j]! % u.a.signBit === 0 && r() < 0.5 ? finiteCode(u.w, r) : signedZero(u.w, r);
  }

  private laneNegated(s: Step, j: number, from: number): void {
    const { u } = this;
    s.x[j] = u.kind === 'rounded' ? negate(u.p, s.x[from]!) : s.x[from]!;
    if (u.kind === 'fused') s.y[j] = negate(u.w, s.y[from]!);
  }

  /** Lane j's product as an accumulator code (rounded to nearest). */
  private laneInAcc(s: Step, j: number): number {
    const u = this.u;
    return u.kind === 'rounded' ? convert(u.p, s.x[j]!, u.acc, RNE) : mul(u.a, s.x[j]!, u.w, s.y[j]!, u.acc, RNE);
  }

  /** A special in lane j or the accumulator: inf, NaN, or (fused) inf * 0. */
  private special(s: Step): void {
    const { u, r } = this;
    const nonFinite = (f: Format) => cornerCodes(f).filter((c) => !isFiniteCode(c, f));
    const j = randInt(r, -1, u.lanes - 1);
    if (j < 0) {
      const c = nonFinite(u.acc);
      if (c.length > 0) s.acc = pick(r, c);
      return;
    }
    if (u.kind === 'rounded') {
      const c = nonFinite(u.p);
      if (c.length > 0) s.x[j] = pick(r, c);
      return;
    }
    const ca = nonFinite(u.a);
    const cw = nonFinite(u.w);
    const v = r();
    if (v < 0.5 && ca.length > 0) {
      s.x[j] = pick(r, ca);
      if (v < 0.25) s.y[j] = signedZero(u.w, r); // inf * 0 (or NaN * 0)
    } else if (cw.length > 0) {
      s.y[j] = pick(r, cw);
      if (v > 0.75) s.x[j] = signedZero(u.a, r);
    }
  }

  next(): Step {
    const { u, r } = this;
    const G = u.lanes;
    const s: Step = { acc: 0, x: new Array<number>(G).fill(0), y: new Array<number>(G).fill(0) };
    const v = r();
    const W = u.alignBits === 'exact' ? 30 : u.alignBits;
    const c = randInt(r, this.lo, this.hi);
    if (v < 0.3 || (v >= 0.85 && v < 0.93)) {
      // Clustered below a common binade: some lanes inside the window, some cut, some lost.
      const spread = randInt(r, 0, W + 4);
      for (let j = 0; j < G; j++) {
        if (r() < 0.1) this.laneZero(s, j);
        else this.laneNear(s, j, c - randInt(r, 0, spread));
      }
      const a = r();
      s.acc = a < 0.15 ? signedZero(u.acc, r) : codeNearExponent(u.acc, a < 0.6 ? c + randInt(r, -2, 2) : c - randInt(r, 0, spread), r);
      if (v >= 0.85) for (let k = randInt(r, 1, 2); k > 0; k--) this.special(s);
    } else if (v < 0.45) {
      // Cancelling pairs; the accumulator zero, small, or cancelling a lane of its own.
      for (let j = 0; j + 1 < G; j += 2) {
        this.laneNear(s, j, c - randInt(r, 0, W + 2));
        this.laneNegated(s, j + 1, j);
      }
      if (G % 2 === 1) this.laneNear(s, G - 1, c);
      const a = r();
      s.acc = G % 2 === 1 && a < 0.6 ? negate(u.acc, this.laneInAcc(s, G - 1)) : a < 0.8 ? signedZero(u.acc, r) : codeNearExponent(u.acc, c - randInt(r, 0, W + 4), r);
    } else if (v < 0.55) {
      // Zeros of both signs; now and then one nonzero term.
      for (let j = 0; j < G; j++) this.laneZero(s, j);
      s.acc = signedZero(u.acc, r);
      if (r() < 0.3) this.laneNear(s, randInt(r, 0, G - 1), c);
    } else if (v < 0.7) {
      // Near the accumulator's overflow, mostly one sign.
      const sign = r() < 0.5;
      s.acc = codeNearExponent(u.acc, u.acc.emax - randInt(r, 0, 2), r);
      for (let j = 0; j < G; j++) this.laneNear(s, j, u.acc.emax - randInt(r, 0, 4));
      if (r() < 0.8) {
        const fix = (f: Format, code: number) => (code >= f.signBit) === sign ? code : negate(f, code);
        s.acc = fix(u.acc, s.acc);
        for (let j = 0; j < G; j++) {
          if (u.kind === 'rounded') s.x[j] = fix(u.p, s.x[j]!);
          else s.y[j] = (s.x[j]! >= u.a.signBit) !== (s.y[j]! >= u.w.signBit) === sign ? s.y[j]! : negate(u.w, s.y[j]!);
        }
      }
    } else if (v < 0.85) {
      // Near and below the accumulator's smallest normal: subnormal, tiny and flushed sums (zero
      // lanes, often all of them, let a tiny accumulator through where no product is that small).
      const e = u.acc.emin - randInt(r, -2, u.acc.man + 3);
      s.acc = r() < 0.3 ? signedZero(u.acc, r) : codeNearExponent(u.acc, e + randInt(r, -2, 2), r);
      const zeroLanes = r() < 0.4 ? 1 : 0.5;
      for (let j = 0; j < G; j++) {
        if (r() < zeroLanes) this.laneZero(s, j);
        else this.laneNear(s, j, e - randInt(r, 0, 4));
      }
    } else {
      // Independent corner-biased codes (specials come up often with many lanes).
      s.acc = randomCode(u.acc, r);
      for (let j = 0; j < G; j++) {
        if (u.kind === 'rounded') s.x[j] = randomCode(u.p, r);
        else {
          s.x[j] = randomCode(u.a, r);
          s.y[j] = randomCode(u.w, r);
        }
      }
    }
    return s;
  }
}

/** The kernel's step: result code, flags (its rounding's status, EV_INVALID for a nan event), swamped. */
class Reference {
  private readonly kernel: DotKernel;
  constructor(private readonly u: DotUnit) {
    const acc = u.acc;
    const mode = roundingCode(u.mode);
    // With rounded products only the adder runs (addProducts): a and w play no part.
    const mac = u.kind === 'rounded'
      ? new MacKernel({ a: F('e2m1'), w: F('e2m1'), product: u.p, acc, modeProduct: RNE, modeAcc: mode })
      : new MacKernel({ a: u.a, w: u.w, product: null, acc, modeProduct: RNE, modeAcc: mode });
    this.kernel = new DotKernel({ lanes: u.lanes, alignBits: u.alignBits }, mac);
  }

  run(s: Step): [number, number, number] {
    const k = this.kernel;
    k.events.fill(0);
    status.flags = 0; // the kernel rounds (and sets the flags) only for a finite nonzero sum
    const code = this.u.kind === 'rounded' ? k.addProducts(s.acc, s.x) : k.step(s.acc, s.x, s.y);
    const flags = status.flags | (k.events[EVI.nan]! > 0 ? EV_INVALID : 0);
    const swamped = this.u.lanes > 1 ? k.events[EVI.swamping]! : lostProducts(this.u, s);
    return [code, flags, swamped];
  }
}

/** Nonzero products whose leading bit lies below the window, in a step of finite terms (the
 *  contract on exact values, for one lane, where DotKernel counts §5's swamping instead). */
function lostProducts(u: DotUnit, s: Step): number {
  const products: Exact[] = s.x.map((x, j) => (u.kind === 'rounded' ? decode(x, u.p) : exactMul(decode(x, u.a), decode(s.y[j]!, u.w))));
  const terms = [decode(s.acc, u.acc), ...products];
  if (u.alignBits === 'exact' || terms.some((t) => t.kind === 'nan' || t.kind === 'inf')) return 0;
  const leads = terms.flatMap((t) => (t.kind === 'finite' ? [ilog2(t)] : []));
  if (leads.length === 0) return 0;
  const qExp = Math.max(...leads) - u.alignBits + 1;
  return products.filter((p) => p.kind === 'finite' && ilog2(p) < qExp).length;
}

/** Codes of `width` bits packed lane j at bits [j*width +: width], as 32-bit words (low first). */
function packLanes(codes: readonly number[], width: number): number[] {
  const words = new Array<number>(Math.ceil((codes.length * width) / 32)).fill(0);
  codes.forEach((c, j) => {
    for (let bit = 0; bit < width; bit++) {
      if ((c >>> bit) & 1) words[(j * width + bit) >>> 5]! |= 1 << ((j * width + bit) & 31);
    }
  });
  return words.map((w) => w >>> 0);
}

function operandWords(u: DotUnit, s: Step): number[] {
  return u.kind === 'rounded' ? [s.acc, ...packLanes(s.x, u.p.width)] : [s.acc, ...packLanes(s.x, u.a.width), ...packLanes(s.y, u.w.width)];
}

function packBig(codes: readonly number[], width: number): bigint {
  return codes.reduceRight((v, c) => (v << BigInt(width)) | BigInt(c), 0n);
}

function hexOf(code: number, f: Format): string {
  return code.toString(16).padStart(Math.ceil(f.width / 4), '0');
}

function describeStep(u: DotUnit, s: Step): string {
  const lanes = u.kind === 'rounded' ? s.x.map((x) => hexOf(x, u.p)) : s.x.map((x, j) => `${hexOf(x, u.a)}*${hexOf(s.y[j]!, u.w)}`);
  return `acc ${hexOf(s.acc, u.acc)} lanes [${lanes.join(' ')}]`;
}

describe('rtl-gen: the dot-product adder under Verilator vs core/dot.ts, bit for bit', function () {
  this.timeout(900_000);
  const modules = UNITS.map(moduleOf);
  const steps = UNITS.map((u, i) => {
    const make = new StepMaker(u, rng(1000 + i));
    return Array.from({ length: CASES_PER_UNIT }, () => make.next());
  });
  let build: HarnessBuild;
  let out: Uint32Array;

  before(function () {
    build = buildHarness(modules);
    console.log(`      Verilator harness: ${modules.length} dot-product adders, ${build.built ? `built in ${build.seconds.toFixed(1)} s` : `cached (${build.dir})`}`);
    const batch = new CaseBatch(build.inWords, UNITS.length * CASES_PER_UNIT);
    UNITS.forEach((u, i) => {
      for (const s of steps[i]!) batch.push(i, ...operandWords(u, s));
    });
    out = runHarness(build, batch);
  });

  UNITS.forEach((u, i) => {
    it(`${describe_(u)} (${modules[i]!.name}): ${CASES_PER_UNIT} steps`, () => {
      const ref = new Reference(u);
      const fails: string[] = [];
      let failCount = 0;
      const seen = { swamped: 0, invalid: 0, overflow: 0, zeroSums: 0 };
      steps[i]!.forEach((s, k) => {
        const at = (i * CASES_PER_UNIT + k) * build.outWords;
        const got = [out[at]!, out[at + 1]!, out[at + 2]!];
        const want = ref.run(s);
        if (want[2] > 0) seen.swamped++;
        if (want[1] & EV_INVALID) seen.invalid++;
        if (want[1] & 2) seen.overflow++;
        if (want[0] % u.acc.signBit === 0) seen.zeroSums++;
        if (got.some((g, n) => g !== want[n])) {
          failCount++;
          if (fails.length < 10) fails.push(`${describeStep(u, s)} -> rtl ${hexOf(got[0]!, u.acc)} flags ${got[1]} swamped ${got[2]}, core ${hexOf(want[0], u.acc)} flags ${want[1]} swamped ${want[2]}`);
        }
      });
      expect(failCount, `${failCount} of ${CASES_PER_UNIT} steps differ:\n${fails.join('\n')}`).to.equal(0);
      // The steps reach what they are for.
      // Overflow is only reached where G products of the largest binade exceed the accumulator.
      if (productSpan(u)[1] + Math.log2(u.lanes) > u.acc.emax) expect(seen.overflow, 'overflowing steps').to.be.greaterThan(0);
      expect(seen.zeroSums, 'zero results').to.be.greaterThan(0);
      if (u.alignBits !== 'exact') expect(seen.swamped, 'steps with swamped products').to.be.greaterThan(0);
    });
  });

  it('computes the worked example of docs/arithmetic.md section 3 (e4m3 fused into e4m7_b10, rtz, G = 4, W = 6)', () => {
    const i = UNITS.findIndex((u) => u.kind === 'fused' && u.acc.name === 'e4m7_b10' && u.lanes === 4 && u.alignBits === 6);
    const exact = UNITS.findIndex((u) => u.kind === 'fused' && u.acc.name === 'e4m7_b10' && u.lanes === 4);
    expect(exact).to.equal(i);
    const s: Step = { acc: 0x5c0, x: [0x3e, 0x26, 0xac, 0x0c], y: [0x42, 0x28, 0x3a, 0x38] };
    const batch = new CaseBatch(build.inWords, 1);
    batch.push(i, ...operandWords(UNITS[i]!, s));
    const res = runHarness(build, batch);
    expect([...res.subarray(0, 3)]).to.deep.equal([0x660, 0, 2]); // 7, exact, two products swamped
  });
});

describe('rtl-gen: the dot-product adder, lint, Icarus and limits', function () {
  this.timeout(300_000);
  const modules = UNITS.map(moduleOf);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-dot-lint-'));
    const design = new Design();
    for (const m of modules) design.add(m);
    for (const f of design.files()) writeFileSync(join(dir, f.path), f.text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const closure = (m: VModule, into = new Set<string>()): Set<string> => {
    for (const d of m.deps) closure(d, into);
    return into.add(m.name);
  };

  it(`verilator --lint-only -Wall reports nothing for ${UNITS.length} modules`, async () => {
    requireTool('verilator');
    const cmds = modules.map((m) => ({ label: m.name, args: ['verilator', '--lint-only', '-Wall', '--top-module', m.name, ...[...closure(m)].map((n) => join(dir, `${n}.v`))] }));
    const problems = (await runAll(cmds)).filter((r) => r.status !== 0 || r.text).map((r) => `${r.label}:\n${r.text.slice(0, 2000)}`);
    expect(problems, problems.join('\n\n')).to.deep.equal([]);
  });

  it('iverilog -g2005 -Wall compiles every module without a message', () => {
    requireTool('iverilog');
    const design = new Design();
    for (const m of modules) design.add(m);
    const r = spawnSync('iverilog', ['-g2005', '-Wall', '-o', join(dir, 'all.vvp'), ...design.modules.map((m) => join(dir, `${m.name}.v`))], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(`${r.stdout}${r.stderr}`.trim()).to.equal('');
  });

  it('a finite window at least as wide as the terms span builds the exact adder', () => {
    const acc = F('e4m7_b10');
    const p = F('e5m10');
    const text = (m: VModule) => m.text.replace(new RegExp(m.name, 'g'), 'NAME').replace(/\/\/ {3}window .*\n/, '');
    const exact = dotAddModule(acc, p, { lanes: 4, alignBits: 'exact' }, 'rne');
    const wide = dotAddModule(acc, p, { lanes: 4, alignBits: 1024 }, 'rne');
    expect(text(wide)).to.equal(text(exact));
    expect(wide.text).to.match(/window +\d+ bits: alignBits 1024 is at least the \d+ bits the terms span/);
  });

  it(`refuses a window wider than ${DOT_WINDOW_LIMIT} bits, naming the limit`, () => {
    const fp32 = F('fp32');
    expect(() => dotFmaModule(fp32, fp32, fp32, { lanes: 8, alignBits: 'exact' }, 'rne')).to.throw(/alignBits = "exact" needs a 554-bit alignment window .* limit of 320 bits \(DOT_WINDOW_LIMIT/);
    expect(() => dotFmaModule(fp32, fp32, fp32, { lanes: 8, alignBits: 400 }, 'rne')).to.throw(/a 400-bit alignment window .*DOT_WINDOW_LIMIT/);
    // The fp32 accumulator with fp32 products, or fused e4m3 inputs, stays within it, whatever W.
    expect(dotAddModule(fp32, fp32, { lanes: 2, alignBits: 400 }, 'rne').text).to.match(/window +277 bits: alignBits 400 is at least/);
    expect(dotAddModule(fp32, fp32, { lanes: 2, alignBits: 'exact' }, 'rne').text).to.match(/window +277 bits: exact/);
    expect(dotFmaModule(F('e4m3'), F('e4m3'), fp32, { lanes: 2, alignBits: 'exact' }, 'rne').text).to.match(/window +277 bits: exact/);
  });
});

describe('rtl-gen: Yosys synthesis of a dot-product adder', function () {
  this.timeout(300_000);
  // Four lanes build what eight do (the lane loops, a maximum tree whose levels carry an odd key
  // up, the carry-save levels, the swamped count) from fewer cells, so Yosys and Icarus over the
  // netlist take far less time (8 lanes of e5m10 into e8m13, W = 14: 5141 cells, ~35 s).
  const unit = UNITS.find((u) => u.kind === 'rounded' && u.lanes === 4 && u.alignBits === 6 && u.acc.name === 'e4m7_b10')!;
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lbamac-dot-yosys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`synthesizes ${describe_(unit)}; the netlist matches the core`, async () => {
    const m = moduleOf(unit);
    const { netlist } = await synthesizeNetlist(m);

    const make = new StepMaker(unit, rng(77));
    const ref = new Reference(unit);
    const vectors: TestVector<number | bigint>[] = [];
    for (let k = 0; k < 2000; k++) {
      const s = make.next();
      const p = unit.kind === 'rounded' ? unit.p : unit.a;
      vectors.push({ ins: [s.acc, packBig(s.x, p.width)], outs: ref.run(s) });
    }
    const res = runIcarus(m, vectors, join(dir, m.name), [{ path: 'netlist.v', text: netlist }]);
    expect(res.cases).to.equal(vectors.length);
    expect(res.mismatches, res.log).to.equal(0);
  });
});
