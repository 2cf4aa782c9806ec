// The fixed-point accumulator's Verilog (rtl-gen/lib/fixed-add.ts, fixed-round.ts) under Verilator
// against core/fixed-acc.ts, bit for bit: the kernel's state is set directly (FixedState), one
// addProduct / start / finish runs with zeroed counters, and the next state, D and the counted
// events must be the module's outputs. Also the multiplier-then-adder chain against the kernel's
// step (product events from the multiplier's flags, as the core counts them), lint and Icarus for
// every module, and Yosys on the 49-bit Kulisch register of e4m3 products. One Verilator build
// holds every module (cached in out/verilator/).
import { synthesizeNetlist } from './yosys-netlist.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EV_INVALID, EV_OVERFLOW, EV_TINY, mul, roundingCode, status, unpackValue } from '../../core/arith.js';
import { exactProductFormat } from '../../core/exact-product.js';
import { fixedKernel, type FixedKernel, type FixedState } from '../../core/fixed-acc.js';
import { type FixedAccumulator, type FixedOverflow, makeFixed } from '../../core/fixed.js';
import { type Format, parseFormatName as F, DETERMINISTIC_MODES, ROUNDING_MODES, type RoundingMode } from '../../core/format.js';
import { EVI } from '../../core/mac.js';
import { requireTool } from '../../cosim/tools.js';
import { Design, type VModule } from '../../rtl-gen/back/module.js';
import { fixedAddModule, fixedLoadModule, fixedStateWidth } from '../../rtl-gen/lib/fixed-add.js';
import { fixedRoundModule } from '../../rtl-gen/lib/fixed-round.js';
import { runIcarus, type TestVector } from '../../testbenches/icarus.js';
import { buildHarness, CaseBatch, type HarnessBuild, portWords, runHarness } from '../../testbenches/verilator.js';
import { rng } from './units.js';
import { runAll } from '../support/run-all.js';

const E4M3 = F('e4m3');
const EXACT = exactProductFormat(E4M3, E4M3);

/** A register with its factor, product and output formats. */
interface Setup {
  label: string;
  /** The format of a and w (the chain's operands). */
  factors: Format;
  /** The product format, or null for exact e4m3 x e4m3 products (the adder then takes EXACT codes). */
  product: Format | null;
  msb: number;
  lsb: number;
  overflows: FixedOverflow[];
  out: Format;
  modes: readonly RoundingMode[];
}

const E5M2 = F('e5m2'); // with inf: inf * 0 at the multiplier

const SETUPS: Setup[] = [
  { label: 'Kulisch e4m3', factors: E4M3, product: null, msb: 29, lsb: -18, overflows: ['saturate'], out: F('fp32'), modes: DETERMINISTIC_MODES },
  { label: 'int32', factors: E4M3, product: null, msb: 20, lsb: -10, overflows: ['saturate', 'wrap'], out: F('fp32'), modes: DETERMINISTIC_MODES },
  { label: 'worked example', factors: E4M3, product: null, msb: 3, lsb: -2, overflows: ['saturate', 'wrap'], out: F('fp16'), modes: DETERMINISTIC_MODES },
  { label: 'fp16 products', factors: E5M2, product: F('fp16'), msb: 12, lsb: -12, overflows: ['saturate', 'wrap'], out: F('e4m7_b10'), modes: DETERMINISTIC_MODES },
  { label: 'fp16 products, 102 bits', factors: E5M2, product: F('fp16'), msb: 70, lsb: -30, overflows: ['saturate'], out: F('fp16'), modes: DETERMINISTIC_MODES },
  { label: 'e4m7_b12 products', factors: E4M3, product: F('e4m7_b12'), msb: 5, lsb: -8, overflows: ['saturate', 'wrap'], out: F('fp16'), modes: DETERMINISTIC_MODES },
  { label: '3 bits', factors: E5M2, product: F('e4m7_b12'), msb: 0, lsb: -1, overflows: ['saturate', 'wrap'], out: F('e4m7_b10'), modes: DETERMINISTIC_MODES },
  { label: 'products below the grid', factors: E5M2, product: F('fp16'), msb: 40, lsb: 30, overflows: ['saturate'], out: F('fp32'), modes: ['rne', 'rup', 'rdn', 'rod'] },
  { label: 'products beyond the register', factors: E4M3, product: F('fp16'), msb: -38, lsb: -40, overflows: ['wrap'], out: F('fp16'), modes: ['rne', 'rtz'] },
];

const ADD_CASES = 1500;
const CHAIN_CASES = 800;
const LOAD_CASES = 1200;
const ROUND_CASES = 1500;

// ---------------------------------------------------------------- state bus and kernel state

interface State {
  reg: bigint;
  special: number;
  zeroSign: number;
}

function packState(s: State, W: number): bigint {
  return (BigInt(s.special) << BigInt(W + 1)) | (BigInt(s.zeroSign) << BigInt(W)) | BigInt.asUintN(W, s.reg);
}

function unpackState(v: bigint, W: number): State {
  return { reg: BigInt.asIntN(W, v), zeroSign: Number((v >> BigInt(W)) & 1n), special: Number(v >> BigInt(W + 1)) };
}

function toWords(v: bigint, width: number): number[] {
  return Array.from({ length: portWords({ width }) }, (_, j) => Number((v >> BigInt(32 * j)) & 0xffffffffn));
}

function fromWords(out: Uint32Array, at: number, width: number): bigint {
  let v = 0n;
  for (let j = portWords({ width }) - 1; j >= 0; j--) v = (v << 32n) | BigInt(out[at + j]!);
  return v;
}

function setKernelState(k: FixedKernel, s: State): FixedState {
  const ks = k.newState();
  ks.reg = k.path === 'float64' ? Number(s.reg) : s.reg;
  ks.special = s.special;
  ks.zeroSign = s.zeroSign;
  return ks;
}

function readKernelState(ks: FixedState): State {
  return { reg: BigInt(ks.reg), special: ks.special, zeroSign: ks.zeroSign };
}

/** Equal as the contract sees them: the zero sign counts only for a zero register without special. */
function sameState(a: State, b: State): boolean {
  return a.special === b.special && a.reg === b.reg && (a.special !== 0 || a.reg !== 0n || a.zeroSign === b.zeroSign);
}

function showState(s: State): string {
  return `{reg ${s.reg}, special ${s.special}, zero sign ${s.zeroSign}}`;
}

// ---------------------------------------------------------------- random operands

function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomBig(r: () => number, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  return BigInt.asUintN(bits, v);
}

/** A register value: zero, the ends and near them, small magnitudes, anything. */
function randomReg(r: () => number, W: number): bigint {
  const hi = (1n << BigInt(W - 1)) - 1n;
  const lo = -hi - 1n;
  const u = r();
  if (u < 0.12) return 0n;
  if (u < 0.25) return pick(r, [hi, lo, 1n, -1n]);
  if (u < 0.4) {
    const d = randomBig(r, Math.min(W - 2, randInt(r, 1, 12)));
    return r() < 0.5 ? hi - d : lo + d;
  }
  if (u < 0.65) {
    const m = randomBig(r, randInt(r, 1, Math.min(W - 1, 30)));
    return r() < 0.5 ? -m : m;
  }
  return BigInt.asIntN(W, randomBig(r, W));
}

function randomState(r: () => number, W: number): State {
  return { reg: randomReg(r, W), special: r() < 0.85 ? 0 : randInt(r, 1, 3), zeroSign: r() < 0.5 ? 1 : 0 };
}

/** Field of a code of f whose significand's last bit lies at grid position k (or null). */
function fieldAt(f: Format, lsb: number, k: number): number | null {
  const field = k + f.bias + f.man + lsb;
  const top = f.specials === 'ieee' ? 2 ** f.exp - 2 : 2 ** f.exp - 1;
  return field >= 1 && field <= top ? field : null;
}

/** A code of f: corners (zeros, inf, NaN, the extremes), values on and around the grid (ties),
 *  values around the register's top (saturation, wrap), anything. */
function randomCode(r: () => number, f: Format, fx: FixedAccumulator): number {
  const u = r();
  const sign = r() < 0.5 ? f.signBit : 0;
  if (u < 0.15) {
    const corners = [0, 1, f.hidden - 1, f.hidden, f.maxFiniteMag];
    if (f.infCode >= 0) corners.push(f.infCode);
    if (f.nanCode >= 0) corners.push(f.nanCode, f.specials === 'ieee' ? f.infCode + randInt(r, 1, f.hidden - 1) : f.nanCode);
    return sign + pick(r, corners);
  }
  let field: number | null = null;
  if (u < 0.45) field = fieldAt(f, fx.lsb, randInt(r, -f.man - 3, 2));
  else if (u < 0.65) field = fieldAt(f, fx.lsb, randInt(r, fx.width - 4, fx.width + 1) - f.man);
  if (field !== null) return sign + field * f.hidden + randInt(r, 0, f.hidden - 1);
  return randInt(r, 0, 2 ** f.width - 1);
}

/** Whether a finite code is not a whole number of register units. */
function offGrid(f: Format, code: number, lsb: number): boolean {
  const u = unpackValue(f, code);
  if (u.kind !== 'finite' || u.q >= lsb) return false;
  const d = lsb - u.q;
  return d >= 53 || u.sig % 2 ** d !== 0;
}

/** Whether a finite code lies exactly halfway between two register values. */
function tie(f: Format, code: number, lsb: number): boolean {
  const u = unpackValue(f, code);
  const d = lsb - u.q;
  return u.kind === 'finite' && d >= 1 && d < 53 && u.sig % 2 ** d === 2 ** (d - 1);
}

/** How often the cases reach each corner, so that a change of the generators cannot thin them out unseen. */
const reached = new Map<string, number>();
function reach(what: string): void {
  reached.set(what, (reached.get(what) ?? 0) + 1);
}

/** The corners the add, chain and load cases must reach (by their kernel results). */
function tallyAdd(job: Job, f: Format, code: number, before: State | undefined, after: State, ev: number[], mulFlags: number): void {
  const fx = job.fx;
  const mode = ROUNDING_MODES[job.kernel.spec[job.kind === 'load' ? 'modeInput' : 'modeAcc']]!;
  const k = job.kind === 'load' ? 'C' : 'term';
  if (ev[2]) reach(`${k} ${fx.overflow === 'saturate' ? 'saturates' : 'wraps'}`);
  if (ev[3]) reach(`${k} lost to the grid`);
  if (ev[4] && ev[2]) reach(`swamping at ${fx.overflow === 'saturate' ? 'the saturated end' : 'whole turns'}`);
  if (mulFlags & EV_INVALID) reach('inf * 0 at the multiplier');
  else if (ev[5]) reach('+inf meets -inf');
  if ((before === undefined || before.special === 0) && tie(f, code, fx.lsb)) reach(`${k} tie on the grid, ${mode}`);
  if (after.special === 0 && after.reg === 0n) {
    reach(`zero register ${after.zeroSign ? '-0' : '+0'}`);
    if (before !== undefined && before.reg !== 0n) reach('a sum cancels to zero');
    if (before === undefined && !ev[3] && unpackValue(f, code).kind === 'finite') reach('C wraps onto zero');
  }
}

// ---------------------------------------------------------------- the jobs

type Kind = 'add' | 'chain' | 'load' | 'round';

interface Job {
  kind: Kind;
  label: string;
  module: VModule;
  fx: FixedAccumulator;
  /** The kernel the job drives; chain jobs the one with the real product path (exact: none). */
  kernel: FixedKernel;
  /** Input words per case, and what the check needs per case. */
  inputs: number[][];
  cases: { state?: State; code?: number; a?: number; w?: number; pFlags?: number }[];
  slot: number;
  first: number;
}

interface Plan {
  jobs: Job[];
  modules: VModule[];
}

/** The kernel of a setup; `input` is C's mode and the multiplier's. */
function kernelFor(s: Setup, fx: FixedAccumulator, mode: RoundingMode, input: RoundingMode, chain: boolean): FixedKernel {
  return fixedKernel({
    a: s.factors,
    w: s.factors,
    // Off the chain the adder's codes are the kernel's products: EXACT codes are exact products.
    product: chain ? s.product : (s.product ?? EXACT),
    fixed: fx,
    out: s.out,
    modeProduct: roundingCode(input),
    modeAcc: roundingCode(mode),
    modeInput: roundingCode(input),
  });
}

function plan(): Plan {
  const modules = new Map<string, VModule>();
  const slotOf = (m: VModule): number => {
    if (!modules.has(m.name)) modules.set(m.name, m);
    return [...modules.keys()].indexOf(m.name);
  };
  const jobs: Job[] = [];
  let seed = 1;
  for (const s of SETUPS) {
    const fp = s.product ?? EXACT;
    for (const overflow of s.overflows) {
      const fx = makeFixed({ msb: s.msb, lsb: s.lsb, overflow });
      const W = fx.width;
      const SW = fixedStateWidth(fx);
      const where = `${s.label} (msb ${s.msb}, lsb ${s.lsb}, ${W} bits, ${overflow})`;
      s.modes.forEach((mode, i) => {
        // The input mode of C differs from the accumulator's where the list allows.
        const input = s.modes[(i + 1) % s.modes.length]!;

        const add = fixedAddModule(fp, fx, mode);
        const r = rng(seed++);
        const k = kernelFor(s, fx, mode, input, false);
        const addJob: Job = { kind: 'add', label: `${where}: ${fp.name} ${mode}`, module: add, fx, kernel: k, inputs: [], cases: [], slot: slotOf(add), first: -1 };
        for (let n = 0; n < ADD_CASES; n++) {
          const code = randomCode(r, fp, fx);
          const state = randomState(r, W);
          if (r() < 0.1) {
            // The register holds minus this code's units: the sum cancels (or wraps) onto zero.
            const ks = setKernelState(k, { reg: 0n, special: 0, zeroSign: 0 });
            k.addProduct(ks, code);
            const units = BigInt(ks.reg);
            if (units !== -(1n << BigInt(W - 1))) state.reg = -units;
          }
          addJob.cases.push({ state, code });
          addJob.inputs.push([...toWords(packState(state, W), SW), code]);
        }
        jobs.push(addJob);

        // The multiplier's product into the adder, against the kernel's step.
        const kc = kernelFor(s, fx, mode, input, true);
        const ab = s.factors;
        const chain: Job = { kind: 'chain', label: `${where}: ${ab.name} x ${ab.name} -> ${s.product ? `${s.product.name} ${input}` : 'exact'}, acc ${mode}`, module: add, fx, kernel: kc, inputs: [], cases: [], slot: slotOf(add), first: -1 };
        const factor = () => (r() < 0.15 ? pick(r, [0, ab.signBit, ab.nanCode, ab.infCode >= 0 ? ab.infCode : ab.maxFiniteMag]) : randInt(r, 0, 2 ** ab.width - 1));
        for (let n = 0; n < CHAIN_CASES; n++) {
          const a = factor();
          const w = factor();
          const code = mul(ab, a, ab, w, fp, roundingCode(input));
          const pFlags = status.flags;
          const state = randomState(r, W);
          chain.cases.push({ state, a, w, code, pFlags });
          chain.inputs.push([...toWords(packState(state, W), SW), code]);
        }
        jobs.push(chain);

        const load = fixedLoadModule(s.out, fx, input, mode);
        const loadJob: Job = { kind: 'load', label: `${where}: C ${s.out.name} ${input}, zeros ${mode}`, module: load, fx, kernel: k, inputs: [], cases: [], slot: slotOf(load), first: -1 };
        for (let n = 0; n < LOAD_CASES; n++) {
          const code = randomCode(r, s.out, fx);
          loadJob.cases.push({ code });
          loadJob.inputs.push([code]);
        }
        jobs.push(loadJob);

        if (overflow !== s.overflows[0]) return; // the final rounding does not depend on it
        const round = fixedRoundModule(fx, s.out, mode);
        const roundJob: Job = { kind: 'round', label: `${where}: D ${s.out.name} ${mode}`, module: round, fx, kernel: k, inputs: [], cases: [], slot: slotOf(round), first: -1 };
        for (let n = 0; n < ROUND_CASES; n++) {
          const state = randomState(r, W);
          roundJob.cases.push({ state });
          roundJob.inputs.push(toWords(packState(state, W), SW));
        }
        jobs.push(roundJob);
      });
    }
  }
  return { jobs, modules: [...modules.values()] };
}

// ---------------------------------------------------------------- checks

const EVENT_KEYS = ['productOverflow', 'productUnderflow', 'accOverflow', 'accUnderflow', 'swamping', 'nan'] as const;

function kernelEvents(k: FixedKernel): number[] {
  return EVENT_KEYS.map((e) => k.events[EVI[e]]!);
}

/** One case: null when the module agrees with the kernel, else what differs. */
function check(job: Job, i: number, out: Uint32Array, at: number): string | null {
  const k = job.kernel;
  const fx = job.fx;
  const W = fx.width;
  const SW = fixedStateWidth(fx);
  const c = job.cases[i]!;
  k.events.fill(0);
  if (job.kind === 'round') {
    const ks = setKernelState(k, c.state!);
    status.flags = 0;
    const want = k.finish(ks);
    const wantFlags = c.state!.special !== 0 || c.state!.reg === 0n ? 0 : status.flags;
    const got = out[at]!;
    const gotFlags = out[at + 1]!;
    const ev = kernelEvents(k);
    if (ev[2]) reach('D overflows');
    if (ev[3]) reach('D underflows to zero');
    if (wantFlags & EV_TINY && !(wantFlags & 8)) reach('D subnormal');
    const eventsOk = ev[2] === (gotFlags & EV_OVERFLOW ? 1 : 0) && ev[3] === (gotFlags & 8 ? 1 : 0);
    if (got === want && gotFlags === wantFlags && eventsOk) return null;
    return `${showState(c.state!)} -> rtl ${got.toString(16)} flags ${gotFlags}, core ${want.toString(16)} flags ${wantFlags} events ${ev}`;
  }

  const got = unpackState(fromWords(out, at, SW), W);
  const gotFlags = out[at + portWords({ width: SW })]!;
  const swamp = job.kind === 'load' ? 0 : out[at + portWords({ width: SW }) + 1]!;
  let ks: FixedState;
  let wantInexact: boolean;
  let f: Format;
  if (job.kind === 'load') {
    ks = k.newState();
    k.start(ks, c.code!);
    f = k.spec.out;
    wantInexact = offGrid(f, c.code!, fx.lsb);
  } else {
    ks = setKernelState(k, c.state!);
    if (job.kind === 'add') k.addProduct(ks, c.code!);
    else k.step(ks, c.a!, c.w!);
    f = k.spec.product ?? EXACT;
    wantInexact = c.state!.special === 0 && offGrid(f, c.code!, fx.lsb);
  }
  const want = readKernelState(ks);
  const ev = kernelEvents(k);
  tallyAdd(job, f, c.code!, c.state, want, ev, job.kind === 'chain' ? c.pFlags! : 0);
  // The module's events, plus (chain) the multiplier's as the core counts them.
  const pf = job.kind === 'chain' && k.spec.product !== null ? c.pFlags! : 0;
  const rtlEv = [
    pf & EV_OVERFLOW ? 1 : 0,
    pf & EV_TINY ? 1 : 0,
    gotFlags & EV_OVERFLOW ? 1 : 0,
    gotFlags & 8 ? 1 : 0,
    swamp,
    (gotFlags & EV_INVALID ? 1 : 0) + (job.kind === 'chain' && c.pFlags! & EV_INVALID ? 1 : 0),
  ];
  const flagsOk = (gotFlags & 1) === (wantInexact || gotFlags & EV_OVERFLOW ? 1 : 0) && ((gotFlags >> 2) & 1) === ((gotFlags >> 3) & 1);
  if (sameState(got, want) && rtlEv.every((e, j) => e === ev[j]) && flagsOk) return null;
  const operand = job.kind === 'chain' ? `${c.a!.toString(16)} * ${c.w!.toString(16)} = ${c.code!.toString(16)}` : c.code!.toString(16);
  return `${c.state ? showState(c.state) : 'empty'} + ${operand} -> rtl ${showState(got)} flags ${gotFlags} swamp ${swamp}, core ${showState(want)} events ${ev} (rtl ${rtlEv})${flagsOk ? '' : ' inexact/tiny flags wrong'}`;
}

// ---------------------------------------------------------------- the tests

function closure(m: VModule, into = new Map<string, VModule>()): Map<string, VModule> {
  for (const d of m.deps) closure(d, into);
  into.set(m.name, m);
  return into;
}

describe('rtl-gen: fixed-point accumulator vs core/fixed-acc.ts, bit for bit', function () {
  this.timeout(900_000);
  const { jobs, modules } = plan();
  let build: HarnessBuild;
  let out: Uint32Array;

  before(function () {
    build = buildHarness(modules);
    console.log(`      Verilator harness: ${modules.length} modules, ${build.built ? `built in ${build.seconds.toFixed(1)} s` : `cached (${build.dir})`}`);
    const total = jobs.reduce((n, j) => n + j.cases.length, 0);
    const batch = new CaseBatch(build.inWords, total);
    for (const j of jobs) {
      j.first = batch.count;
      for (const words of j.inputs) batch.push(j.slot, ...words);
    }
    out = runHarness(build, batch);
  });

  for (const job of jobs) {
    it(`${job.kind} ${job.label}: ${job.cases.length} cases`, () => {
      const fails: string[] = [];
      let failCount = 0;
      for (let i = 0; i < job.cases.length; i++) {
        const bad = check(job, i, out, (job.first + i) * build.outWords);
        if (bad === null) continue;
        failCount++;
        if (fails.length < 10) fails.push(bad);
      }
      expect(failCount, `${failCount} of ${job.cases.length} cases differ:\n${fails.join('\n')}`).to.equal(0);
    });
  }

  it('the cases reach every corner', () => {
    const corners = [
      'term saturates', 'term wraps', 'C saturates', 'C wraps', 'term lost to the grid', 'C lost to the grid',
      'swamping at the saturated end', 'swamping at whole turns', '+inf meets -inf', 'inf * 0 at the multiplier', 'zero register +0', 'zero register -0',
      'a sum cancels to zero', 'C wraps onto zero', 'D overflows', 'D underflows to zero', 'D subnormal',
      ...DETERMINISTIC_MODES.flatMap((m) => [`term tie on the grid, ${m}`, `C tie on the grid, ${m}`]),
    ];
    console.log(`        ${corners.map((c) => `${c}: ${reached.get(c) ?? 0}`).join('; ')}`);
    expect(corners.filter((c) => (reached.get(c) ?? 0) < 5)).to.deep.equal([]);
  });

  describe('lint, Icarus, Yosys', () => {
    let dir = '';
    // Beyond the Verilator set: the fp32 Kulisch register (567 bits) and formats at their edges.
    const wide = makeFixed({ msb: 300, lsb: -266, overflow: 'wrap' });
    const extra = [
      fixedAddModule(F('fp32'), wide, 'rne'),
      fixedLoadModule(F('fp32'), wide, 'rna', 'rdn'),
      fixedRoundModule(wide, F('fp32'), 'rod'),
      fixedAddModule(F('e2m0_none'), makeFixed({ msb: 1, lsb: -1, overflow: 'saturate' }), 'rup'),
      fixedAddModule(F('e3m2_ftz_fn'), makeFixed({ msb: 2, lsb: -3, overflow: 'wrap' }), 'rod'),
      fixedRoundModule(makeFixed({ msb: 2, lsb: -3, overflow: 'wrap' }), F('e2m1_none'), 'rdn'),
    ];
    const all = [...modules, ...extra];
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'lbamac-fixed-'));
      const design = new Design();
      for (const m of all) design.add(m);
      for (const f of design.files()) writeFileSync(join(dir, f.path), f.text);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it(`verilator --lint-only -Wall reports nothing for ${all.length} modules`, async () => {
      requireTool('verilator');
      const cmds = all.map((m) => ({ label: m.name, args: ['verilator', '--lint-only', '-Wall', '--top-module', m.name, ...[...closure(m).keys()].map((n) => join(dir, `${n}.v`))] }));
      const problems = (await runAll(cmds)).filter((r) => r.status !== 0 || r.text).map((r) => `${r.label}:\n${r.text.slice(0, 2000)}`);
      expect(problems, problems.join('\n\n')).to.deep.equal([]);
    });

    it('iverilog -g2005 -Wall compiles every module without a message', () => {
      requireTool('iverilog');
      const design = new Design();
      for (const m of all) design.add(m);
      const r = spawnSync('iverilog', ['-g2005', '-Wall', '-o', join(dir, 'all.vvp'), ...design.modules.map((m) => join(dir, `${m.name}.v`))], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(`${r.stdout}${r.stderr}`.trim()).to.equal('');
    });

    it('the 567-bit register (fp32 products, wrap, rne) and its rounding into fp32 (rod) under Icarus against the kernel', () => {
      const [add, , round] = extra as [VModule, VModule, VModule];
      const k = fixedKernel({ a: E4M3, w: E4M3, product: F('fp32'), fixed: wide, out: F('fp32'), modeProduct: 0, modeAcc: roundingCode('rne'), modeInput: 0 });
      const kr = fixedKernel({ ...k.spec, modeAcc: roundingCode('rod') });
      const r = rng(567);
      const W = wide.width;
      const addVectors: TestVector<number | bigint>[] = [];
      const roundVectors: TestVector<number | bigint>[] = [];
      for (let n = 0; n < 400; n++) {
        const state = randomState(r, W);
        const code = randomCode(r, F('fp32'), wide);
        const ks = setKernelState(k, state);
        k.events.fill(0);
        k.addProduct(ks, code);
        const [, , ovf, lost, swamp, nan] = kernelEvents(k);
        const inexact = ovf || (state.special === 0 && offGrid(F('fp32'), code, wide.lsb)) ? 1 : 0;
        const flags = inexact | (ovf! << 1) | (lost! * 12) | (nan! << 4);
        addVectors.push({ ins: [packState(state, W), code], outs: [packState(readKernelState(ks), W), flags, swamp!] });

        const rs = randomState(r, W);
        status.flags = 0;
        const d = kr.finish(setKernelState(kr, rs));
        roundVectors.push({ ins: [packState(rs, W)], outs: [d, rs.special !== 0 || rs.reg === 0n ? 0 : status.flags] });
      }
      for (const [m, v] of [[add, addVectors], [round, roundVectors]] as const) {
        const res = runIcarus(m, v, join(dir, `icarus-${m.name}`));
        expect(res.cases).to.equal(v.length);
        expect(res.mismatches, res.log).to.equal(0);
      }
    });

    // The Kulisch register of e4m3 x e4m3 (msb 29, lsb -18): synthesized, and the netlist under
    // Icarus against the kernel.
    for (const kind of ['add', 'round'] as const) {
      it(`Yosys synthesizes the 49-bit Kulisch register's ${kind === 'add' ? 'adder (e4m3 exact products, rne)' : 'rounding into fp32 (rne)'}; the netlist matches the core`, async () => {
        const job = jobs.find((j) => j.kind === kind && j.fx.width === 49 && j.kernel.spec.modeAcc === roundingCode('rne'))!;
        const m = job.module;
        const { netlist } = await synthesizeNetlist(m);

        const SW = fixedStateWidth(job.fx);
        const vectors: TestVector<number | bigint>[] = job.cases.slice(0, 1000).map((c, i) => {
          const at = (job.first + i) * build.outWords;
          const ins = kind === 'add' ? [packState(c.state!, 49), c.code!] : [packState(c.state!, 49)];
          const outs = kind === 'add' ? [fromWords(out, at, SW), out[at + 2]!, out[at + 3]!] : [out[at]!, out[at + 1]!];
          return { ins, outs };
        });
        // The Verilated outputs are the expectations here: the cases above hold them to the kernel.
        const res = runIcarus(m, vectors, join(dir, `yosys-${kind}`), [{ path: 'netlist.v', text: netlist }]);
        expect(res.cases).to.equal(vectors.length);
        expect(res.mismatches, res.log).to.equal(0);
      });
    }
  });
});
