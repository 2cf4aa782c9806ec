// The cycle-accurate simulator of the array an Arch describes. Each cycle x:
//   1. the output ports are computed from the registers (the top is Moore: outputs are registers
//      or deskewed copies of registers, never a function of this cycle's inputs);
//   2. the collector takes a D row (or a partial-sum row) when d_valid is 1;
//   3. the feeder drives the input ports for cycle x, following arch/schedule.ts;
//   4. the trace callback and the VCD writer see the ports and registers of cycle x;
//   5. every PE register's next value is computed from the current ones (phase 1) and all are
//      committed at once by swapping the current and next register files (phase 2): the rising edge.
// The edge lines (input skew, output deskew, control chains) are pure delay lines: a line's k-th
// register holds its source from cycle x - k, so they are kept as ring buffers of the sources'
// histories and read at the right delay; every register value is still defined in every cycle
// (the VCD writer prints them). Nothing is allocated per cycle.
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
  /** Called once per cycle with the values of every signal port of the top (not clk/rst). */
  onCycle?: (cycle: number, ports: PortValues) => void;
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
  /** Register files: cur holds the registers during the current cycle, nxt receives the next values. */
  cur: Regs = {};
  nxt: Regs = {};
  /** Input-port histories: port p's value in cycle x at ((x & mask) * count). Hidden '_'-ports carry
   *  simulator-only tags (which output a term belongs to), not hardware. */
  readonly hist: Record<string, Uint32Array> = {};
  /** Output ports of the current cycle. */
  readonly out: Record<string, Uint32Array> = {};
  /** Histories of the deskew lines' sources (registers of the edge PEs), by register name. */
  readonly srcHist: Record<string, Uint32Array> = {};
  readonly arith: PeArith;
  readonly peTerms: Float64Array;
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
    this.H = nextPow2(Math.max(R, C + this.P + 1) + 1);
    this.mask = this.H - 1;
    const n = R * C;
    for (const reg of arch.pe.registers) {
      this.cur[reg.name] = new Uint32Array(n * reg.lanes);
      this.nxt[reg.name] = new Uint32Array(n * reg.lanes);
    }
    // Simulator-only tags: the output row (travels with A) and column (with B or the weight).
    // With the multiplier register, the term's operands ride along with p (_pa, _pw): the add
    // stage hands them to the core's kernel, which rounds the product exactly as p holds it.
    const tags = this.ws ? ['_atag', '_wtag', '_ptag', '_pa', '_pw'] : ['_atag', '_btag', '_ptag', '_pa', '_pw'];
    for (const t of tags) {
      this.cur[t] = new Uint32Array(n);
      this.nxt[t] = new Uint32Array(n);
    }
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
    for (const line of arch.edge) {
      if (line.kind !== 'deskew') continue;
      for (const s of line.signals) this.srcHist[s.source] = new Uint32Array(this.H * C);
    }
    const outputs = job.M * job.N;
    this.arith = new PeArith(arch, outputs);
    this.peTerms = new Float64Array(n);
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
        if (onCycle !== undefined) onCycle(this.x, this.portView);
        if (vcd !== null) vcd.sample();
      }
      if (this.collected >= this.expectedRows) {
        this.cycles = this.x + 1;
        break;
      }
      if (os) this.stepOS();
      else this.stepWS();
      const t = this.cur;
      this.cur = this.nxt;
      this.nxt = t;
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
    for (const name in h) {
      const count = h[name]!.length / this.H;
      h[name]!.fill(0, slot * count, (slot + 1) * count);
    }
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
    const { R, C, L, P, x, mask, chunked, sparse, arith } = this;
    const cur = this.cur;
    const nxt = this.nxt;
    const ca = cur.a!, na = nxt.a!, cav = cur.av!, nav = nxt.av!;
    const cacl = chunked ? cur.acl! : cav, nacl = chunked ? nxt.acl! : nav;
    const cb = cur.b!, nb = nxt.b!, cbv = cur.bv!, nbv = nxt.bv!;
    const cbi = sparse ? cur.bi! : cbv, nbi = sparse ? nxt.bi! : nbv;
    const catag = cur._atag!, natag = nxt._atag!, cbtag = cur._btag!, nbtag = nxt._btag!;
    const cacc = cur.acc!, nacc = nxt.acc!;
    const ctot = chunked ? cur.total! : cacc, ntot = chunked ? nxt.total! : nacc;
    const cp = P ? cur.p! : cacc, np = P ? nxt.p! : nacc, cpv = P ? cur.pv! : cav, npv = P ? nxt.pv! : nav;
    const cpcl = P && chunked ? cur.pcl! : cav, npcl = P && chunked ? nxt.pcl! : nav;
    const cptag = cur._ptag!, nptag = nxt._ptag!, cpa = cur._pa!, npa = nxt._pa!, cpw = cur._pw!, npw = nxt._pw!;
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
    for (let r = 0; r < R; r++) {
      const aBack = x - r;
      const aSlot = aBack & mask;
      const aLive = aBack >= 0;
      for (let j = 0; j < C; j++) {
        const q = r * C + j;
        // A path: from the row's skew line at the left edge, else from the left neighbour.
        if (j === 0) {
          const src = aSlot * R + r;
          for (let l = 0; l < L; l++) na[q * L + l] = aLive ? had[src * L + l]! : 0;
          nav[q] = aLive ? hav[src]! : 0;
          natag[q] = hatag[src]!;
          if (chunked) nacl[q] = aLive ? hacl[aSlot]! : 0;
        } else {
          for (let l = 0; l < L; l++) na[q * L + l] = ca[(q - 1) * L + l]!;
          nav[q] = cav[q - 1]!;
          natag[q] = catag[q - 1]!;
          if (chunked) nacl[q] = cacl[q - 1]!;
        }
        // B path: from the column's skew line at the top, else from the neighbour above.
        if (r === 0) {
          const bBack = x - j;
          const src = (bBack & mask) * C + j;
          const live = bBack >= 0;
          nb[q] = live ? hbd[src]! : 0;
          nbv[q] = live ? hbv[src]! : 0;
          nbtag[q] = hbtag[src]!;
          if (sparse) nbi[q] = live ? hbi[src]! : 0;
        } else {
          nb[q] = cb[q - C]!;
          nbv[q] = cbv[q - C]!;
          nbtag[q] = cbtag[q - C]!;
          if (sparse) nbi[q] = cbi[q - C]!;
        }
        // Multiply stage.
        const en = cav[q]! & cbv[q]!;
        let e: number;
        let close: number;
        let o: number;
        if (P === 1) {
          if (en) {
            const xa = sparse ? ca[q * 4 + cbi[q]!]! : ca[q]!;
            np[q] = arith.product(xa, cb[q]!);
            npa[q] = xa;
            npw[q] = cb[q]!;
            nptag[q] = catag[q]! * N + cbtag[q]!;
          } else {
            np[q] = cp[q]!;
            npa[q] = cpa[q]!;
            npw[q] = cpw[q]!;
            nptag[q] = cptag[q]!;
          }
          npv[q] = en;
          if (chunked) npcl[q] = en & cacl[q]!;
          e = cpv[q]!;
          close = chunked ? cpcl[q]! : 0;
          o = cptag[q]!;
        } else {
          e = en;
          close = chunked ? cacl[q]! : 0;
          o = catag[q]! * N + cbtag[q]!;
        }
        // Accumulate stage; the output chain shifts instead when the column's shift is on.
        if (sh[j]) {
          if (e) internal(`PE(${r}, ${j}) adds a term while its column shifts (cycle ${x})`);
          const v = r === R - 1 ? cin[j]! : chunked ? ctot[q + C]! : cacc[q + C]!;
          if (chunked) {
            ntot[q] = v;
            nacc[q] = cacc[q]!;
          } else {
            nacc[q] = v;
          }
        } else if (e) {
          peTerms[q]!++;
          const s = P === 1 ? arith.term(cacc[q]!, cpa[q]!, cpw[q]!, q, o) : arith.term(cacc[q]!, sparse ? ca[q * 4 + cbi[q]!]! : ca[q]!, cb[q]!, q, o);
          if (chunked) {
            if (close) {
              ntot[q] = arith.close(ctot[q]!, s, q, o);
              nacc[q] = 0;
            } else {
              ntot[q] = ctot[q]!;
              nacc[q] = s;
            }
          } else {
            nacc[q] = s;
          }
        } else {
          nacc[q] = cacc[q]!;
          if (chunked) ntot[q] = ctot[q]!;
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
    for (const name in h) {
      const count = h[name]!.length / this.H;
      h[name]!.fill(0, slot * count, (slot + 1) * count);
    }
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
    const { R, C, L, P, x, mask, chunked, sparse, arith } = this;
    const cur = this.cur;
    const nxt = this.nxt;
    const ca = cur.a!, na = nxt.a!, cav = cur.av!, nav = nxt.av!;
    const cw = cur.w!, nw = nxt.w!, cwv = cur.wv!, nwv = nxt.wv!;
    const cwi = sparse ? cur.wi! : cwv, nwi = sparse ? nxt.wi! : nwv;
    const cwcl = chunked ? cur.wcl! : cwv, nwcl = chunked ? nxt.wcl! : nwv;
    const catag = cur._atag!, natag = nxt._atag!, cwtag = cur._wtag!, nwtag = nxt._wtag!;
    const cs = cur.s!, ns = nxt.s!, csv = cur.sv!, nsv = nxt.sv!;
    const cst = chunked ? cur.st! : cs, nst = chunked ? nxt.st! : ns;
    const cp = P ? cur.p! : cs, np = P ? nxt.p! : ns, cpv = P ? cur.pv! : cav, npv = P ? nxt.pv! : nav;
    const cpcl = P && chunked ? cur.pcl! : cav, npcl = P && chunked ? nxt.pcl! : nav;
    const cptag = cur._ptag!, nptag = nxt._ptag!, cpa = cur._pa!, npa = nxt._pa!, cpw = cur._pw!, npw = nxt._pw!;
    const h = this.hist;
    const hav = h.a_valid!, had = h.a_data!, hatag = h._a_tag!;
    const N = this.job.N;
    const sh = this.shNow;
    const sIn = this.chainIn;
    const stIn = this.chainIn2;
    const svIn = this.chainIn3;
    for (let j = 0; j < C; j++) {
      const back = x - j - 1;
      sh[j] = back < 0 ? 0 : h.w_shift![back & mask]!;
      const sBack = x - j - 1 - P;
      const ss = (sBack & mask) * C + j;
      const live = sBack >= 0;
      sIn[j] = live ? h.s_acc![ss]! : 0;
      stIn[j] = live && chunked ? h.s_total![ss]! : 0;
      svIn[j] = live ? h.s_valid![sBack & mask]! : 0;
    }
    const peTerms = this.peTerms;
    for (let r = 0; r < R; r++) {
      const aBack = x - r;
      const aSlot = aBack & mask;
      const aLive = aBack >= 0;
      for (let j = 0; j < C; j++) {
        const q = r * C + j;
        if (j === 0) {
          const src = aSlot * R + r;
          for (let l = 0; l < L; l++) na[q * L + l] = aLive ? had[src * L + l]! : 0;
          nav[q] = aLive ? hav[src]! : 0;
          natag[q] = hatag[src]!;
        } else {
          for (let l = 0; l < L; l++) na[q * L + l] = ca[(q - 1) * L + l]!;
          nav[q] = cav[q - 1]!;
          natag[q] = catag[q - 1]!;
        }
        // Weight chain: shifts up when the column's weight shift is on, else holds.
        if (sh[j]) {
          if (r === R - 1) {
            const back = x - j - 1;
            const src = (back & mask) * C + j;
            nw[q] = h.w_data![src]!;
            nwv[q] = h.w_valid![src]!;
            nwtag[q] = h._w_tag![src]!;
            if (sparse) nwi[q] = h.w_idx![src]!;
            if (chunked) nwcl[q] = h.w_close![back & mask]!;
          } else {
            nw[q] = cw[q + C]!;
            nwv[q] = cwv[q + C]!;
            nwtag[q] = cwtag[q + C]!;
            if (sparse) nwi[q] = cwi[q + C]!;
            if (chunked) nwcl[q] = cwcl[q + C]!;
          }
        } else {
          nw[q] = cw[q]!;
          nwv[q] = cwv[q]!;
          nwtag[q] = cwtag[q]!;
          if (sparse) nwi[q] = cwi[q]!;
          if (chunked) nwcl[q] = cwcl[q]!;
        }
        // Multiply stage.
        const en = cav[q]! & cwv[q]!;
        let e: number;
        let close: number;
        let o: number;
        if (P === 1) {
          if (en) {
            const xa = sparse ? ca[q * 4 + cwi[q]!]! : ca[q]!;
            np[q] = arith.product(xa, cw[q]!);
            npa[q] = xa;
            npw[q] = cw[q]!;
            nptag[q] = catag[q]! * N + cwtag[q]!;
          } else {
            np[q] = cp[q]!;
            npa[q] = cpa[q]!;
            npw[q] = cpw[q]!;
            nptag[q] = cptag[q]!;
          }
          npv[q] = en;
          if (chunked) npcl[q] = en & cwcl[q]!;
          e = cpv[q]!;
          close = chunked ? cpcl[q]! : 0;
          o = cptag[q]!;
        } else {
          e = en;
          close = chunked ? cwcl[q]! : 0;
          o = catag[q]! * N + cwtag[q]!;
        }
        // Add stage: the partial sum from above (or the top's skew line) plus this PE's term.
        const s0 = r === 0 ? sIn[j]! : cs[q - C]!;
        const st0 = chunked ? (r === 0 ? stIn[j]! : cst[q - C]!) : 0;
        const sv0 = r === 0 ? svIn[j]! : csv[q - C]!;
        nsv[q] = sv0;
        if (e) {
          if (!sv0) internal(`PE(${r}, ${j}) adds a term to an invalid partial sum (cycle ${x})`);
          peTerms[q]!++;
          const sum = P === 1 ? arith.term(s0, cpa[q]!, cpw[q]!, q, o) : arith.term(s0, sparse ? ca[q * 4 + cwi[q]!]! : ca[q]!, cw[q]!, q, o);
          if (chunked && close) {
            nst[q] = arith.close(st0, sum, q, o);
            ns[q] = 0;
          } else {
            ns[q] = sum;
            if (chunked) nst[q] = st0;
          }
        } else {
          ns[q] = s0;
          if (chunked) nst[q] = st0;
        }
      }
    }
  }

  // ---------------------------------------------------------------- shared

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
