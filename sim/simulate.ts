// The cycle-accurate simulator of the array an Arch describes. Each cycle x:
//   1. the output ports are computed from the registers (the top is Moore: outputs are registers
//      or deskewed copies of registers, never a function of this cycle's inputs);
//   2. the collector takes a D row (or a partial-sum row) when d_valid is 1;
//   3. the feeder drives the input ports for cycle x, following arch/schedule.ts;
//   4. the trace callback and the VCD writer see the ports and registers of cycle x;
//   5. the rising edge: every PE register takes its next value, computed from the values of cycle x.
// Registers that only pass a value along (the edge lines, and in the PEs the A path and, in OS,
// the B path: PE(r, j) holds what the ports carried in cycle x - r - j - 1) are pure delay lines,
// so they are read from ring buffers of the input ports' histories instead of being copied from
// PE to PE every cycle. The other PE registers are updated in place, in an order that reads every
// neighbour's value before it is overwritten (the chains that move up walk the rows upward, those
// that move down walk them downward). Every register value is still defined in every cycle: the
// VCD writer reads it through register(). Nothing is allocated per cycle.
import { EVENT_NAMES, type EventCounts, zeroEvents } from '../core/events.js';
import { LbamacError } from '../core/errors.js';
import type { Arch } from '../arch/types.js';
import { latencyCycles, type OsSchedule, schedule, type Schedule, type WsSchedule } from '../arch/schedule.js';
import { prepareJob, type PreparedJob, type SimJob } from './job.js';
import { N_EVENTS, PeArith } from './pe-arith.js';
import { SimVcd, type VcdSink } from './vcd.js';

export type { SimJob } from './job.js';

/** Port values of one cycle by port name (every port a vector; scalars have one element). The
 *  arrays are reused from cycle to cycle: copy what you keep. */
export type PortValues = Readonly<Record<string, Uint32Array>>;

export interface SimOptions {
  /** Called once per cycle with the values of every signal port of the top (not clk/rst), and a
   *  reader of the PE registers (arch pe.registers) of the same cycle. */
  onCycle?: (cycle: number, ports: PortValues, registers: RegisterReader) => void;
  /** Receives a VCD of every port and register (GTKWave-readable). */
  vcd?: VcdSink;
  /** Refuse jobs that need more cycles (checked before the first cycle). Default 1e9. */
  maxCycles?: number;
}

export interface SimResult {
  /** M×N codes of the output format. */
  D: number[][];
  events: EventCounts;
  perOutput: EventCounts[][];
  /** Events counted in each PE (rows × cols). */
  perPE: EventCounts[][];
  /** Useful term-cycles (multiply-adds of the job) done by each PE. */
  peTerms: number[][];
  /** Cycles from cycle 0 through the cycle the last D row is on the output port. */
  cycles: number;
  /** Σ peTerms = M·N·T. */
  usefulTerms: number;
  /** usefulTerms / (rows · cols · cycles). */
  utilization: number;
  /** The cycle each D[i][j] was seen on the output port. */
  outputCycles: number[][];
  schedule: Schedule;
}

/** Lane `lane` of register `name` of PE(r, j), in the cycle the callback is called for. */
export type RegisterReader = (name: string, r: number, j: number, lane?: number) => number;

type Regs = Record<string, Uint32Array>;

const DEFAULT_MAX_CYCLES = 1e9;

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function internal(message: string): never {
  throw new Error(`internal simulator error: ${message}`);
}

/** Runs one job on the array cycle by cycle. Bad jobs fail before the first cycle. */
export function simulate(arch: Arch, job: SimJob, options: SimOptions = {}): SimResult {
  const prepared = prepareJob(arch, job);
  const dims = { M: prepared.M, N: prepared.N, K: prepared.K, hasC: prepared.C !== null };
  const sched = schedule(arch, dims);
  const limit = options.maxCycles ?? DEFAULT_MAX_CYCLES;
  if (sched.cycles > limit) {
    throw new LbamacError(`job: ${prepared.M}×${prepared.K} by ${prepared.K}×${prepared.N} needs ${sched.cycles} cycles on this ${arch.rows}×${arch.cols} ${arch.dataflow.toUpperCase()} array, more than maxCycles = ${limit}`);
  }
  if (latencyCycles(arch, dims) !== sched.cycles) internal('closed-form latency disagrees with the schedule');
  const m = new Machine(arch, prepared, sched);
  m.run(options);
  return m.result();
}

export class Machine {
  readonly R: number;
  readonly C: number;
  readonly L: number;
  readonly P: number;
  readonly chunked: boolean;
  readonly sparse: boolean;
  readonly fused: boolean;
  readonly ws: boolean;
  readonly H: number;
  readonly mask: number;
  /** The PE registers that hold state (not the delay-line ones), in the current cycle. */
  readonly cur: Regs = {};
  /** Input-port histories: port p's value in cycle x at ((x & mask) * count), kept for H cycles:
   *  longer than any delay line. Hidden '_'-ports carry simulator-only tags (which output a term
   *  belongs to), not hardware. */
  readonly hist: Record<string, Uint32Array> = {};
  /** The histories with their element counts, for clearing a cycle's slot. */
  private readonly histList: { h: Uint32Array; count: number }[];
  /** Output ports of the current cycle. */
  readonly out: Record<string, Uint32Array> = {};
  /** Histories of the deskew lines' sources (registers of the edge PEs), by register name. */
  readonly srcHist: Record<string, Uint32Array> = {};
  readonly arith: PeArith;
  readonly peTerms: Int32Array;
  /** The current cycle (during hooks: the cycle the registers and ports belong to). */
  x = 0;
  private readonly D: Uint32Array;
  private readonly dCycle: Float64Array;
  private readonly T: number;
  /** WS: partial sums between K tiles, [m * C + j], and the tile that wrote each row. */
  private readonly bufAcc: Uint32Array;
  private readonly bufTot: Uint32Array;
  private readonly bufTile: Int32Array;
  private collected = 0;
  private wsFirst = 0;
  private readonly expectedRows: number;
  private cycles = 0;
  private readonly portView: Record<string, Uint32Array> = {};
  /** PE registers kept as delay lines: the input port they delay and which element each PE reads. */
  private readonly delayed: Record<string, { port: string; index: 'row' | 'col' | 'scalar'; lanes: number }>;
  private readonly slotViews: Record<string, Uint32Array[]> = {};
  /** Per-cycle scratch: shift enable and chain input of each column. */
  private readonly shNow: Uint8Array;
  private readonly chainIn: Uint32Array;
  private readonly chainIn2: Uint32Array;
  private readonly chainIn3: Uint32Array;

  constructor(
    readonly arch: Arch,
    readonly job: PreparedJob,
    readonly sched: Schedule,
  ) {
    const R = (this.R = arch.rows);
    const C = (this.C = arch.cols);
    this.L = arch.lanes;
    this.P = arch.timing.mulToAdd;
    this.chunked = arch.chunk !== null;
    this.sparse = arch.sparsity === '2:4';
    this.fused = arch.fused;
    this.ws = arch.dataflow === 'ws';
    this.T = sched.T;
    // The longest delay: the A and B paths of PE(R-1, C-1) (R + C - 1) and the partial-sum skew (C + P).
    this.H = nextPow2(R + C + this.P + 2);
    this.mask = this.H - 1;
    const n = R * C;
    this.delayed = this.ws
      ? { a: { port: 'a_data', index: 'row', lanes: this.L }, av: { port: 'a_valid', index: 'row', lanes: 1 } }
      : {
          a: { port: 'a_data', index: 'row', lanes: this.L },
          av: { port: 'a_valid', index: 'row', lanes: 1 },
          acl: { port: 'a_close', index: 'scalar', lanes: 1 },
          b: { port: 'b_data', index: 'col', lanes: 1 },
          bi: { port: 'b_idx', index: 'col', lanes: 1 },
          bv: { port: 'b_valid', index: 'col', lanes: 1 },
        };
    for (const reg of arch.pe.registers) if (!(reg.name in this.delayed)) this.cur[reg.name] = new Uint32Array(n * reg.lanes);
    // Simulator-only tags: the output column travels with the weight (WS); with the multiplier
    // register, the term's operands and output ride along with p (_pa, _pw, _ptag): the add stage
    // hands them to the core's kernel, which rounds the product exactly as p holds it.
    for (const t of this.ws ? ['_wtag', '_ptag', '_pa', '_pw'] : ['_ptag', '_pa', '_pw']) this.cur[t] = new Uint32Array(n);
    for (const p of arch.ports) {
      if (p.kind !== 'signal') continue;
      if (p.dir === 'in') {
        const h = (this.hist[p.name] = new Uint32Array(this.H * p.count));
        this.slotViews[p.name] = Array.from({ length: this.H }, (_, s) => h.subarray(s * p.count, (s + 1) * p.count));
      } else {
        this.out[p.name] = this.portView[p.name] = new Uint32Array(p.count);
      }
    }
    this.hist._a_tag = new Uint32Array(this.H * R);
    this.hist[this.ws ? '_w_tag' : '_b_tag'] = new Uint32Array(this.H * C);
    this.histList = Object.values(this.hist).map((h) => ({ h, count: h.length / this.H }));
    for (const line of arch.edge) {
      if (line.kind !== 'deskew') continue;
      for (const s of line.signals) this.srcHist[s.source] = new Uint32Array(this.H * C);
    }
    const outputs = job.M * job.N;
    this.arith = new PeArith(arch, outputs);
    this.peTerms = new Int32Array(n);
    this.D = new Uint32Array(outputs);
    this.dCycle = new Float64Array(outputs).fill(-1);
    this.bufAcc = new Uint32Array(this.ws ? job.M * C : 0);
    this.bufTot = new Uint32Array(this.ws ? job.M * C : 0);
    this.bufTile = new Int32Array(this.ws ? job.M : 0).fill(-1);
    this.expectedRows = sched.kind === 'os' ? sched.tiles.length * R : sched.tiles.length * job.M;
    this.shNow = new Uint8Array(C);
    this.chainIn = new Uint32Array(C);
    this.chainIn2 = new Uint32Array(C);
    this.chainIn3 = new Uint32Array(C);
  }

  /** Value of input port `name`, element e, in cycle x - k (0 before cycle 0: reset). */
  portAt(name: string, e: number, k: number): number {
    const h = this.hist[name]!;
    const count = h.length / this.H;
    return this.x - k < 0 ? 0 : h[((this.x - k) & this.mask) * count + e]!;
  }

  private readonly readRegister: RegisterReader = (name, r, j, lane = 0) => {
    if (!this.arch.pe.registers.some((reg) => reg.name === name)) throw new LbamacError(`PE registers: no register "${name}"; this array has ${this.arch.pe.registers.map((reg) => reg.name).join(', ')}`);
    return this.register(name, r * this.C + j, lane);
  };

  /** Value of lane l of PE register `name` of PE q (= r * cols + j) in the current cycle. */
  register(name: string, q: number, l: number): number {
    const d = this.delayed[name];
    if (d === undefined) {
      const lanes = this.cur[name]!.length / (this.R * this.C);
      return this.cur[name]![q * lanes + l]!;
    }
    const r = Math.floor(q / this.C);
    const j = q - r * this.C;
    return this.portAt(d.port, (d.index === 'row' ? r : d.index === 'col' ? j : 0) * d.lanes + l, r + j + 1);
  }

  /** Value of deskew source `reg` of column j in cycle x - k. */
  srcAt(reg: string, j: number, k: number): number {
    return this.x - k < 0 ? 0 : this.srcHist[reg]![((this.x - k) & this.mask) * this.C + j]!;
  }

  run(options: SimOptions): void {
    const onCycle = options.onCycle;
    const vcd = options.vcd ? new SimVcd(this, options.vcd) : null;
    const limit = this.sched.cycles + 4;
    const os = this.sched.kind === 'os';
    for (this.x = 0; this.collected < this.expectedRows; this.x++) {
      if (this.x >= limit) internal(`no output after cycle ${limit}: ${this.collected} of ${this.expectedRows} rows collected`);
      if (os) this.outputsOS();
      else this.outputsWS();
      if (this.out.d_valid![0]) this.collect();
      if (os) this.feedOS();
      else this.feedWS();
      if (onCycle !== undefined || vcd !== null) {
        const slot = this.x & this.mask;
        for (const name in this.slotViews) this.portView[name] = this.slotViews[name]![slot]!;
        if (onCycle !== undefined) onCycle(this.x, this.portView, this.readRegister);
        if (vcd !== null) vcd.sample();
      }
      if (this.collected >= this.expectedRows) {
        this.cycles = this.x + 1;
        break;
      }
      if (os) this.stepOS();
      else this.stepWS();
    }
    if (vcd !== null) vcd.finish();
    if (this.cycles !== this.sched.cycles) internal(`measured ${this.cycles} cycles, the schedule says ${this.sched.cycles}`);
  }

  // ---------------------------------------------------------------- output-stationary

  private outputsOS(): void {
    const { C, mask, x } = this;
    const slot = x & mask;
    const chain = this.cur[this.chunked ? 'total' : 'acc']!;
    const src = this.srcHist[this.chunked ? 'total' : 'acc']!;
    for (let j = 0; j < C; j++) src[slot * C + j] = chain[j]!;
    const d = this.out.d_data!;
    for (let j = 0; j < C; j++) d[j] = x - (C - 1 - j) < 0 ? 0 : src[((x - (C - 1 - j)) & mask) * C + j]!;
    const back = (x - C) & mask;
    this.out.d_valid![0] = x - C < 0 ? 0 : this.hist.c_shift![back]! & this.hist.c_drain![back]!;
  }

  private feedOS(): void {
    const s = this.sched as OsSchedule;
    const { R, C, L, x, job } = this;
    const slot = x & this.mask;
    const h = this.hist;
    this.clearSlot(slot);
    // Shift cycles: this tile's C in, the previous tile's D out (and the final drain).
    const period = s.period;
    const first = s.tiles[0]!;
    const base = first.load ?? first.compute - R;
    const rel = x - base;
    if (rel >= 0) {
      const n = Math.floor(rel / period);
      const off = rel - n * period;
      if (n <= s.tiles.length && off < R && (n > 0 || first.load !== null)) {
        h.c_shift![slot] = 1;
        h.c_drain![slot] = n > 0 ? 1 : 0;
        const tile = s.tiles[n];
        if (tile !== undefined && job.C !== null && off < tile.rows) {
          const row = (tile.m0 + off) * job.N + tile.n0;
          for (let j = 0; j < tile.cols; j++) h.c_data![slot * C + j] = job.C[row + j]!;
        }
      }
      // Compute cycles: term t of tile n.
      const t = off - R;
      if (n < s.tiles.length && t >= 0 && t < this.T) {
        const tile = s.tiles[n]!;
        const av = h.a_valid!;
        const ad = h.a_data!;
        const atag = h._a_tag!;
        for (let r = 0; r < tile.rows; r++) {
          const m = tile.m0 + r;
          av[slot * R + r] = 1;
          atag[slot * R + r] = m;
          this.aTerm(ad, (slot * R + r) * L, m, t);
        }
        if (this.chunked) h.a_close![slot] = this.closes(t) ? 1 : 0;
        const bv = h.b_valid!;
        const bd = h.b_data!;
        const btag = h._b_tag!;
        for (let j = 0; j < tile.cols; j++) {
          const nn = tile.n0 + j;
          bv[slot * C + j] = 1;
          btag[slot * C + j] = nn;
          if (this.sparse) {
            const at = ((t >> 1) * job.N + nn) * 2 + (t & 1);
            bd[slot * C + j] = job.slotValue![at]!;
            h.b_idx![slot * C + j] = job.slotIndex![at]!;
          } else {
            bd[slot * C + j] = job.B![t * job.N + nn]!;
          }
        }
      }
    }
  }

  private stepOS(): void {
    const { R, C, P, x, mask, chunked, sparse, arith } = this;
    const g = this.cur;
    const acc = g.acc!;
    const tot = chunked ? g.total! : acc;
    const p = P ? g.p! : acc, pv = P ? g.pv! : acc, pcl = P && chunked ? g.pcl! : acc;
    const ptag = g._ptag!, pa = g._pa!, pw = g._pw!;
    const h = this.hist;
    const hav = h.a_valid!, had = h.a_data!, hatag = h._a_tag!, hacl = chunked ? h.a_close! : hav;
    const hbv = h.b_valid!, hbd = h.b_data!, hbtag = h._b_tag!, hbi = sparse ? h.b_idx! : hbv;
    const N = this.job.N;
    const sh = this.shNow;
    const cin = this.chainIn;
    for (let j = 0; j < C; j++) {
      const back = x - j - 1;
      const bs = back & mask;
      sh[j] = back < 0 ? 0 : h.c_shift![bs]!;
      cin[j] = back < 0 ? 0 : h.c_data![bs * C + j]!;
    }
    const peTerms = this.peTerms;
    // Rows upward: the output chain reads the row below before that row is updated.
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < C; j++) {
        const q = r * C + j;
        // PE(r, j)'s a, av, acl and b, bi, bv registers: the ports of cycle x - r - j - 1.
        const slot = (x - r - j - 1) & mask;
        const ai = slot * R + r;
        const bj = slot * C + j;
        const en = hav[ai]! & hbv[bj]!;
        // Add stage (with the multiplier register: the term p holds, before p takes the next one).
        let e: number;
        let close: number;
        if (P === 1) {
          e = pv[q]!;
          close = chunked ? pcl[q]! : 0;
        } else {
          e = en;
          close = chunked ? hacl[slot]! : 0;
        }
        if (sh[j]) {
          // The column shifts: the output chain moves up instead of accumulating.
          if (e) internal(`PE(${r}, ${j}) adds a term while its column shifts (cycle ${x})`);
          tot[q] = r === R - 1 ? cin[j]! : tot[q + C]!;
        } else if (e) {
          peTerms[q]!++;
          const sum = P === 1 ? arith.term(acc[q]!, pa[q]!, pw[q]!, q, ptag[q]!) : arith.term(acc[q]!, sparse ? had[ai * 4 + hbi[bj]!]! : had[ai]!, hbd[bj]!, q, hatag[ai]! * N + hbtag[bj]!);
          if (chunked && close) {
            tot[q] = arith.close(tot[q]!, sum, q, P === 1 ? ptag[q]! : hatag[ai]! * N + hbtag[bj]!);
            acc[q] = 0;
          } else {
            acc[q] = sum;
          }
        }
        // Multiply stage into the multiplier register.
        if (P === 1) {
          if (en) {
            const xa = sparse ? had[ai * 4 + hbi[bj]!]! : had[ai]!;
            const w = hbd[bj]!;
            p[q] = arith.product(xa, w);
            pa[q] = xa;
            pw[q] = w;
            ptag[q] = hatag[ai]! * N + hbtag[bj]!;
          }
          pv[q] = en;
          if (chunked) pcl[q] = en & hacl[slot]!;
        }
      }
    }
  }

  // ---------------------------------------------------------------- weight-stationary

  private outputsWS(): void {
    const { R, C, mask, x, chunked } = this;
    const slot = x & mask;
    const base = (R - 1) * C;
    const s = this.cur.s!;
    const hs = this.srcHist.s!;
    for (let j = 0; j < C; j++) hs[slot * C + j] = s[base + j]!;
    const d = this.out.d_acc!;
    for (let j = 0; j < C; j++) d[j] = x - (C - 1 - j) < 0 ? 0 : hs[((x - (C - 1 - j)) & mask) * C + j]!;
    if (chunked) {
      const st = this.cur.st!;
      const hst = this.srcHist.st!;
      for (let j = 0; j < C; j++) hst[slot * C + j] = st[base + j]!;
      const dt = this.out.d_total!;
      for (let j = 0; j < C; j++) dt[j] = x - (C - 1 - j) < 0 ? 0 : hst[((x - (C - 1 - j)) & mask) * C + j]!;
    }
    this.out.d_valid![0] = this.cur.sv![base + C - 1]!;
  }

  private feedWS(): void {
    const s = this.sched as WsSchedule;
    const { R, C, L, x, job, chunked } = this;
    const slot = x & this.mask;
    const h = this.hist;
    this.clearSlot(slot);
    // A load may overlap the previous tile's stream: look at every tile not yet finished.
    while (this.wsFirst < s.tiles.length && x >= s.tiles[this.wsFirst]!.stream + job.M) this.wsFirst++;
    for (let ti = this.wsFirst; ti < s.tiles.length; ti++) {
      const tile = s.tiles[ti]!;
      if (tile.load > x) break;
      const sr = x - tile.load;
      if (sr < R) {
        h.w_shift![slot] = 1;
        const t = tile.t0 + sr;
        if (t < this.T) {
          if (chunked) h.w_close![slot] = this.closes(t) ? 1 : 0;
          for (let j = 0; j < tile.cols; j++) {
            const nn = tile.n0 + j;
            h.w_valid![slot * C + j] = 1;
            h._w_tag![slot * C + j] = nn;
            if (this.sparse) {
              const at = ((t >> 1) * job.N + nn) * 2 + (t & 1);
              h.w_data![slot * C + j] = job.slotValue![at]!;
              h.w_idx![slot * C + j] = job.slotIndex![at]!;
            } else {
              h.w_data![slot * C + j] = job.B![t * job.N + nn]!;
            }
          }
        }
      }
      const i = x - tile.stream;
      if (i >= 0 && i < job.M) {
        for (let r = 0; r < tile.terms; r++) {
          h.a_valid![slot * R + r] = 1;
          h._a_tag![slot * R + r] = i;
          this.aTerm(h.a_data!, (slot * R + r) * L, i, tile.t0 + r);
        }
        h.s_valid![slot] = 1;
        if (tile.kt === 0) {
          if (job.C !== null) {
            const dst = chunked ? h.s_total! : h.s_acc!;
            for (let j = 0; j < tile.cols; j++) dst[slot * C + j] = job.C[i * job.N + tile.n0 + j]!;
          }
        } else {
          if (this.bufTile[i] !== tile.index - 1) internal(`partial sum of row ${i} for tile ${tile.index} is not ready in cycle ${x}`);
          for (let j = 0; j < tile.cols; j++) {
            h.s_acc![slot * C + j] = this.bufAcc[i * C + j]!;
            if (chunked) h.s_total![slot * C + j] = this.bufTot[i * C + j]!;
          }
        }
      }
    }
  }

  private stepWS(): void {
    const { R, C, P, x, mask, chunked, sparse, arith } = this;
    const g = this.cur;
    const w = g.w!, wv = g.wv!, wtag = g._wtag!;
    const wi = sparse ? g.wi! : wv, wcl = chunked ? g.wcl! : wv;
    const ps = g.s!, psv = g.sv!;
    const pst = chunked ? g.st! : ps;
    const p = P ? g.p! : ps, pv = P ? g.pv! : ps, pcl = P && chunked ? g.pcl! : ps;
    const ptag = g._ptag!, pa = g._pa!, pw = g._pw!;
    const h = this.hist;
    const hav = h.a_valid!, had = h.a_data!, hatag = h._a_tag!;
    const N = this.job.N;
    const sh = this.shNow;
    const sIn = this.chainIn;
    const stIn = this.chainIn2;
    const svIn = this.chainIn3;
    let shifting = false;
    for (let j = 0; j < C; j++) {
      const back = x - j - 1;
      sh[j] = back < 0 ? 0 : h.w_shift![back & mask]!;
      if (sh[j]) shifting = true;
      const sBack = x - j - 1 - P;
      const ss = (sBack & mask) * C + j;
      const live = sBack >= 0;
      sIn[j] = live ? h.s_acc![ss]! : 0;
      stIn[j] = live && chunked ? h.s_total![ss]! : 0;
      svIn[j] = live ? h.s_valid![sBack & mask]! : 0;
    }
    const peTerms = this.peTerms;
    // Rows downward: the partial sums read the row above before that row is updated.
    for (let r = R - 1; r >= 0; r--) {
      for (let j = 0; j < C; j++) {
        const q = r * C + j;
        // PE(r, j)'s a and av registers: the ports of cycle x - r - j - 1.
        const slot = (x - r - j - 1) & mask;
        const ai = slot * R + r;
        const en = hav[ai]! & wv[q]!;
        let e: number;
        let close: number;
        if (P === 1) {
          e = pv[q]!;
          close = chunked ? pcl[q]! : 0;
        } else {
          e = en;
          close = chunked ? wcl[q]! : 0;
        }
        // Add stage: the partial sum from above (or the top's skew line) plus this PE's term.
        const s0 = r === 0 ? sIn[j]! : ps[q - C]!;
        const st0 = chunked ? (r === 0 ? stIn[j]! : pst[q - C]!) : 0;
        psv[q] = r === 0 ? svIn[j]! : psv[q - C]!;
        if (e) {
          if (!psv[q]) internal(`PE(${r}, ${j}) adds a term to an invalid partial sum (cycle ${x})`);
          peTerms[q]!++;
          const o = P === 1 ? ptag[q]! : hatag[ai]! * N + wtag[q]!;
          const sum = P === 1 ? arith.term(s0, pa[q]!, pw[q]!, q, o) : arith.term(s0, sparse ? had[ai * 4 + wi[q]!]! : had[ai]!, w[q]!, q, o);
          if (chunked && close) {
            pst[q] = arith.close(st0, sum, q, o);
            ps[q] = 0;
          } else {
            ps[q] = sum;
            if (chunked) pst[q] = st0;
          }
        } else {
          ps[q] = s0;
          if (chunked) pst[q] = st0;
        }
        // Multiply stage into the multiplier register (with this cycle's weight).
        if (P === 1) {
          if (en) {
            const xa = sparse ? had[ai * 4 + wi[q]!]! : had[ai]!;
            p[q] = arith.product(xa, w[q]!);
            pa[q] = xa;
            pw[q] = w[q]!;
            ptag[q] = hatag[ai]! * N + wtag[q]!;
          }
          pv[q] = en;
          if (chunked) pcl[q] = en & wcl[q]!;
        }
      }
    }
    if (shifting) this.shiftWeights();
  }

  /** The weight chains of the columns that shift this cycle move up one row (rows upward: each
   *  reads the row below before it is overwritten); the bottom row takes the skewed w_* ports. */
  private shiftWeights(): void {
    const { R, C, x, mask, chunked, sparse } = this;
    const g = this.cur;
    const w = g.w!, wv = g.wv!, wtag = g._wtag!, wi = g.wi, wcl = g.wcl;
    const h = this.hist;
    for (let j = 0; j < C; j++) {
      if (!this.shNow[j]) continue;
      for (let r = 0; r < R - 1; r++) {
        const q = r * C + j;
        w[q] = w[q + C]!;
        wv[q] = wv[q + C]!;
        wtag[q] = wtag[q + C]!;
        if (sparse) wi![q] = wi![q + C]!;
        if (chunked) wcl![q] = wcl![q + C]!;
      }
      const q = (R - 1) * C + j;
      const back = (x - j - 1) & mask;
      const src = back * C + j;
      w[q] = h.w_data![src]!;
      wv[q] = h.w_valid![src]!;
      wtag[q] = h._w_tag![src]!;
      if (sparse) wi![q] = h.w_idx![src]!;
      if (chunked) wcl![q] = h.w_close![back]!;
    }
  }

  // ---------------------------------------------------------------- shared

  /** Every input port is 0 in a cycle unless the feeder drives it. */
  private clearSlot(slot: number): void {
    for (const { h, count } of this.histList) h.fill(0, slot * count, (slot + 1) * count);
  }

  /** Writes the A operand of term t for output row m: one value, or the 2:4 group's 4 lanes. */
  private aTerm(dst: Uint32Array, at: number, m: number, t: number): void {
    const { K, A } = this.job;
    if (!this.sparse) {
      dst[at] = A[m * K + t]!;
      return;
    }
    const k0 = (t >> 1) * 4;
    for (let l = 0; l < 4; l++) dst[at + l] = k0 + l < K ? A[m * K + k0 + l]! : 0;
  }

  /** SPEC section 3: a chunk closes after every `chunk` terms and after the last one. */
  private closes(t: number): boolean {
    return (t + 1) % this.arch.chunk! === 0 || t === this.T - 1;
  }

  private collect(): void {
    const { C, x, job } = this;
    this.collected++;
    const k = this.collected - 1;
    if (this.sched.kind === 'os') {
      const tile = this.sched.tiles[Math.floor(k / this.R)]!;
      const r = k % this.R;
      if (r >= tile.rows) return;
      const d = this.out.d_data!;
      const row = (tile.m0 + r) * job.N + tile.n0;
      for (let j = 0; j < tile.cols; j++) {
        this.D[row + j] = d[j]!;
        this.dCycle[row + j] = x;
      }
      return;
    }
    const tile = this.sched.tiles[Math.floor(k / job.M)]!;
    const i = k % job.M;
    const dAcc = this.out.d_acc!;
    const dTot = this.chunked ? this.out.d_total! : dAcc;
    if (tile.last) {
      const row = i * job.N + tile.n0;
      for (let j = 0; j < tile.cols; j++) {
        this.D[row + j] = dTot[j]!;
        this.dCycle[row + j] = x;
      }
    } else {
      for (let j = 0; j < C; j++) {
        this.bufAcc[i * C + j] = dAcc[j]!;
        this.bufTot[i * C + j] = dTot[j]!;
      }
      this.bufTile[i] = tile.index;
    }
  }

  result(): SimResult {
    const { M, N } = this.job;
    const { R, C } = this;
    const counts = (ev: Int32Array, at: number): EventCounts => {
      const e = zeroEvents();
      EVENT_NAMES.forEach((name, s) => (e[name] = ev[at * N_EVENTS + s]!));
      return e;
    };
    const events = zeroEvents();
    const perOutput: EventCounts[][] = [];
    const D: number[][] = [];
    const outputCycles: number[][] = [];
    for (let i = 0; i < M; i++) {
      const eRow: EventCounts[] = [];
      for (let j = 0; j < N; j++) {
        const e = counts(this.arith.outEv, i * N + j);
        for (const name of EVENT_NAMES) events[name] += e[name];
        eRow.push(e);
      }
      perOutput.push(eRow);
      D.push(Array.from(this.D.subarray(i * N, (i + 1) * N)));
      outputCycles.push(Array.from(this.dCycle.subarray(i * N, (i + 1) * N)));
    }
    const perPE: EventCounts[][] = [];
    const peTerms: number[][] = [];
    let useful = 0;
    for (let r = 0; r < R; r++) {
      perPE.push(Array.from({ length: C }, (_, j) => counts(this.arith.peEv, r * C + j)));
      peTerms.push(Array.from(this.peTerms.subarray(r * C, (r + 1) * C)));
      for (let j = 0; j < C; j++) useful += this.peTerms[r * C + j]!;
    }
    if (useful !== M * N * this.T) internal(`${useful} useful terms, expected M·N·T = ${M * N * this.T}`);
    return {
      D,
      events,
      perOutput,
      perPE,
      peTerms,
      cycles: this.cycles,
      usefulTerms: useful,
      utilization: useful / (R * C * this.cycles),
      outputCycles,
      schedule: this.sched,
    };
  }
}
