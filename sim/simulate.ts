// The cycle-accurate simulator of the array an Arch describes. Each cycle x:
//   1. the output ports are computed from the registers (arch.outputs: deskewed PE registers and
//      taps of the edge lines; the top is Moore, outputs never depend on this cycle's inputs);
//   2. the collector takes a D row (or a partial-sum row) when d_valid is 1;
//   3. the feeder drives the input ports for cycle x, following arch/schedule.ts;
//   4. the trace callback and the VCD writer see the ports and registers of cycle x;
//   5. the rising edge: the PE description compiled by sim/compile.ts computes every register's
//      next value from the values of cycle x.
// Input ports are kept in ring buffers of their recent history: the edge lines and the PE registers
// that only pass a value along read them there. Nothing is allocated per cycle.
import { type EventCounts, eventsAt } from '../core/events.js';
import { LbamacError } from '../core/errors.js';
import { fixedLabel, fixedMessages, SIM_MAX_FIXED_WIDTH } from '../core/fixed.js';
import type { Arch, TopExpr } from '../arch/types.js';
import { latencyCycles, type OsSchedule, schedule, type Schedule, type WsSchedule } from '../arch/schedule.js';
import { prepareJob, type PreparedJob, type SimJob } from './job.js';
import { type CompiledArray, compileArray, historyNeeds, type StepArrays, stepArrays } from './compile.js';
import { N_EVENTS, PeArith } from './pe-arith.js';
import { SimVcd, type VcdSink } from './vcd.js';

export type { SimJob } from './job.js';

/** The elements of a port or register line: a Uint32Array up to 32 bits, a Float64Array for wider
 *  ones (a fixed-point state bus), whose integers are exact up to 53 bits. */
export type Elements = Uint32Array | Float64Array;

/** A typed array for elements of `width` bits. */
export function elementsOf(width: number, length: number): Elements {
  return width > 32 ? new Float64Array(length) : new Uint32Array(length);
}

/** Port values of one cycle by port name (every port a vector; scalars have one element). The
 *  arrays are reused from cycle to cycle: copy what you keep. */
export type PortValues = Readonly<Record<string, Elements>>;

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
  /** Useful term-cycles (multiply-adds of the job) done by each PE; with a dot-product cell, its
   *  steps (G terms each, the last one of an output padded). */
  peTerms: number[][];
  /** Cycles from cycle 0 through the cycle the last D row is on the output port. */
  cycles: number;
  /** Σ peTerms = M·N·S (S = T steps with one lane). */
  usefulTerms: number;
  /** usefulTerms / (rows · cols · cycles). */
  utilization: number;
  /** The cycle each D[i][j] was seen on the output port. */
  outputCycles: number[][];
  /** The sticky flags of each PE after the last cycle (FLAG_NAMES bits), or null without flags. */
  flags: number[][] | null;
  schedule: Schedule;
}

/** Lane `lane` of register `name` of PE(r, j), in the cycle the callback is called for. */
export type RegisterReader = (name: string, r: number, j: number, lane?: number) => number;

const DEFAULT_MAX_CYCLES = 1e9;

function internal(message: string): never {
  throw new Error(`internal simulator error: ${message}`);
}

/** Runs one job on the array cycle by cycle. Bad jobs fail before the first cycle. */
export function simulate(arch: Arch, job: SimJob, options: SimOptions = {}): SimResult {
  if (arch.fixed !== null && arch.fixed.width > SIM_MAX_FIXED_WIDTH) throw new LbamacError(fixedMessages.simWidth(fixedLabel(arch.fixed, arch.formats.out), arch.fixed.width));
  const prepared = prepareJob(arch, job);
  const dims = { M: prepared.M, N: prepared.N, K: prepared.K, hasC: prepared.C !== null };
  const sched = schedule(arch, dims);
  const limit = options.maxCycles ?? DEFAULT_MAX_CYCLES;
  if (sched.cycles > limit) {
    throw new LbamacError(`job: ${prepared.M}×${prepared.K} by ${prepared.K}×${prepared.N} needs ${sched.cycles} cycles on this ${arch.rows}×${arch.cols} ${arch.dataflow.toUpperCase()} array, more than maxCycles = ${limit}`);
  }
  if (latencyCycles(arch, dims) !== sched.cycles) internal('closed-form latency disagrees with the schedule');
  const m = new Machine(arch, prepared, sched);
  try {
    m.run(options);
    return m.result();
  } finally {
    m.arrays.release();
  }
}

export class Machine {
  readonly R: number;
  readonly C: number;
  readonly L: number;
  readonly chunked: boolean;
  readonly sparse: boolean;
  /** The array rounds with rsr: the feeder drives the term indices (a_row, a_term or w_term, b_col or w_col). */
  readonly random: boolean;
  /** A fixed-point accumulator: the feeder marks each output's first and last term. */
  readonly fixed: boolean;
  readonly H: number;
  readonly mask: number;
  /** Input-port histories: port p's value in cycle x at ((x & mask) * count), kept for H cycles:
   *  longer than any delay line. */
  readonly hist: Record<string, Elements> = {};
  /** Simulator-only tags (which A row, which output column a value belongs to) of the ports whose
   *  values carry a term's operands, one per row or column: ((x & mask) * elements + e). */
  readonly tagHist: Record<string, Uint32Array> = {};
  /** The histories with their element counts, for clearing a cycle's slot. */
  private readonly histList: { h: Elements; count: number }[];
  /** Output ports of the current cycle. */
  readonly out: Record<string, Elements> = {};
  /** Histories of the deskew lines' sources (registers of the edge PEs), by register name. */
  readonly srcHist: Record<string, Elements> = {};
  readonly arith: PeArith;
  readonly peTerms: Int32Array;
  readonly compiled: CompiledArray;
  /** Where the histories, state and counters live (sim/compile.ts stepArrays). */
  readonly arrays: StepArrays;
  /** The current cycle (during hooks: the cycle the registers and ports belong to). */
  x = 0;
  private readonly D: Uint32Array;
  private readonly dCycle: Float64Array;
  private readonly T: number;
  /** Steps per output, and terms per step (G). */
  private readonly S: number;
  private readonly G: number;
  /** WS: partial sums between K tiles, [m * C + j], and the tile that wrote each row. */
  private readonly bufAcc: Float64Array;
  private readonly bufTot: Float64Array;
  private readonly bufTile: Int32Array;
  private collected = 0;
  private wsFirst = 0;
  private readonly expectedRows: number;
  private cycles = 0;
  private readonly portView: Record<string, Elements> = {};
  /** Per input port, views of its history slots: built on the first traced cycle (a run without
   *  a trace or VCD needs none). */
  private slotViews: Record<string, Elements[]> | null = null;
  /** Deskew sources: register and PE row, with its state array when it is a state register. */
  private readonly deskew: { signal: string; row: number; state: Uint32Array | Float64Array | null }[] = [];
  private readonly outputs: { port: Elements; depth: number[] | null; src: Elements | null; every: string | null; value: (() => number) | null }[] = [];

  constructor(
    readonly arch: Arch,
    readonly job: PreparedJob,
    readonly sched: Schedule,
  ) {
    const R = (this.R = arch.rows);
    const C = (this.C = arch.cols);
    this.L = arch.lanes;
    this.chunked = arch.chunk !== null;
    this.sparse = arch.sparsity === '2:4';
    this.random = arch.random !== null;
    this.fixed = arch.fixed !== null;
    this.T = sched.T;
    this.S = sched.S;
    this.G = arch.dot?.lanes ?? 1;
    const needs = historyNeeds(arch);
    this.H = needs.H;
    this.mask = this.H - 1;
    const outputs = job.M * job.N;
    // In the WebAssembly step's memory when the step runs there.
    const arrays = (this.arrays = stepArrays(arch, outputs));
    for (const p of arch.ports) {
      if (p.kind !== 'signal') continue;
      if (p.dir === 'in') {
        this.hist[p.name] = p.elemWidth > 32 ? elementsOf(p.elemWidth, this.H * p.count) : arrays.u32(`H_${p.name}`, this.H * p.count);
      } else {
        this.out[p.name] = this.portView[p.name] = elementsOf(p.elemWidth, p.count);
      }
    }
    for (const { port, kind } of needs.taggedPorts) this.tagHist[port] = arrays.u32(`TH_${port}`, this.H * (kind === 'row' ? R : C));
    this.histList = [...Object.values(this.hist), ...Object.values(this.tagHist)].map((h) => ({ h, count: h.length / this.H }));
    this.arith = new PeArith(arch, outputs, arrays);
    this.peTerms = arrays.i32('PT', R * C);
    this.compiled = compileArray(arch, {
      hist: this.hist,
      tagHist: this.tagHist,
      mask: this.mask,
      kernel: this.arith.accumulation,
      attribute: this.arith.attribute,
      peTerms: this.peTerms,
      N: job.N,
      arrays,
    });
    for (const line of arch.edge) {
      if (line.kind !== 'deskew') continue;
      for (const s of line.signals) {
        this.srcHist[s.source] = elementsOf(s.width, this.H * C);
        this.deskew.push({ signal: s.source, row: line.sourceRow!, state: this.compiled.state[s.source] ?? null });
      }
    }
    for (const o of arch.outputs) {
      const e = o.expr;
      const port = this.out[o.port]!;
      if (e.op === 'deskew') this.outputs.push({ port, depth: arch.edge.find((l) => l.name === e.line)!.depth, src: this.srcHist[e.signal]!, every: null, value: null });
      else if (e.op === 'all') this.outputs.push({ port, depth: null, src: null, every: e.register, value: null });
      else this.outputs.push({ port, depth: null, src: null, every: null, value: this.topValue(e) });
    }
    this.D = new Uint32Array(outputs);
    this.dCycle = new Float64Array(outputs).fill(-1);
    this.bufAcc = new Float64Array(sched.kind === 'ws' ? job.M * C : 0);
    this.bufTot = new Float64Array(sched.kind === 'ws' ? job.M * C : 0);
    this.bufTile = new Int32Array(sched.kind === 'ws' ? job.M : 0).fill(-1);
    this.expectedRows = sched.kind === 'os' ? sched.tiles.length * R : sched.tiles.length * job.M;
  }

  private makeSlotViews(): Record<string, Elements[]> {
    const views: Record<string, Elements[]> = {};
    for (const p of this.arch.ports) {
      if (p.kind !== 'signal' || p.dir !== 'in') continue;
      const h = this.hist[p.name]!;
      views[p.name] = Array.from({ length: this.H }, (_, s) => h.subarray(s * p.count, (s + 1) * p.count));
    }
    return views;
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
    const d = this.compiled.delays[name];
    if (d === undefined) return this.compiled.state[name]![q * this.compiled.stateLanes[name]! + l]!;
    const r = Math.floor(q / this.C);
    const j = q - r * this.C;
    const e = d.by === 'scalar' ? 0 : d.by === 'row' ? r : j;
    return this.portAt(d.port.name, e * d.lanes + l, d.delay.cr * r + d.delay.cj * j + d.delay.c0);
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
    const step = this.compiled.step;
    const clears = this.job.flagsClear.size > 0;
    for (this.x = 0; this.collected < this.expectedRows; this.x++) {
      if (this.x >= limit) internal(`no output after cycle ${limit}: ${this.collected} of ${this.expectedRows} rows collected`);
      this.computeOutputs();
      if (this.out.d_valid![0]) this.collect();
      if (os) this.feedOS();
      else this.feedWS();
      if (clears && this.job.flagsClear.has(this.x)) this.hist.flags_clear![this.x & this.mask] = 1;
      if (onCycle !== undefined || vcd !== null) {
        const slot = this.x & this.mask;
        const views = (this.slotViews ??= this.makeSlotViews());
        for (const name in views) this.portView[name] = views[name]![slot]!;
        if (onCycle !== undefined) onCycle(this.x, this.portView, this.readRegister);
        if (vcd !== null) vcd.sample();
      }
      if (this.collected >= this.expectedRows) {
        this.cycles = this.x + 1;
        break;
      }
      step(this.x);
    }
    if (vcd !== null) vcd.finish();
    if (this.cycles !== this.sched.cycles) internal(`measured ${this.cycles} cycles, the schedule says ${this.sched.cycles}`);
  }

  // ---------------------------------------------------------------- outputs

  private computeOutputs(): void {
    const { C, mask, x } = this;
    const slot = x & mask;
    for (const { signal, row, state } of this.deskew) {
      const h = this.srcHist[signal]!;
      if (state !== null) for (let j = 0; j < C; j++) h[slot * C + j] = state[row * C + j]!;
      else for (let j = 0; j < C; j++) h[slot * C + j] = this.register(signal, row * C + j, 0);
    }
    for (const o of this.outputs) {
      const port = o.port;
      if (o.src !== null) {
        const depth = o.depth!;
        for (let j = 0; j < C; j++) port[j] = x - depth[j]! < 0 ? 0 : o.src[((x - depth[j]!) & mask) * C + j]!;
      } else if (o.every !== null) {
        for (let q = 0; q < port.length; q++) port[q] = this.register(o.every, q, 0);
      } else port[0] = o.value!();
    }
  }

  /** A top output expression as a function of the current cycle, built once. */
  private topValue(e: TopExpr): () => number {
    switch (e.op) {
      case 'tap': {
        const depth = this.arch.edge.find((l) => l.name === e.line)!.depth[e.element]!;
        const h = this.hist[e.signal]!;
        const count = h.length / this.H;
        const mask = this.mask;
        return () => (this.x < depth ? 0 : h[((this.x - depth) & mask) * count]!);
      }
      case 'pe': {
        const q = e.r * this.C + e.j;
        return () => this.register(e.register, q, 0);
      }
      case 'and': {
        const args = e.args.map((a) => this.topValue(a));
        return () => {
          let v = 1;
          for (let i = 0; i < args.length; i++) v &= args[i]!();
          return v;
        };
      }
      case 'deskew':
      case 'all':
        return internal(`a ${e.op} output has no single value`);
    }
  }

  // ---------------------------------------------------------------- feeders

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
        // A fixed-point array loads C where its first term adds: C carries its output's identity.
        const ctag = this.tagHist.c_data;
        if (ctag !== undefined && tile !== undefined && off < tile.rows) {
          for (let j = 0; j < tile.cols; j++) ctag[slot * C + j] = (tile.m0 + off) * job.N + tile.n0 + j;
        }
      }
      // Compute cycles: term t of tile n, every stride cycles.
      const u = off - R;
      const t = u / s.stride;
      if (n < s.tiles.length && u >= 0 && Number.isInteger(t) && t < this.S) {
        const tile = s.tiles[n]!;
        const av = h.a_valid!;
        const ad = h.a_data!;
        const atag = this.tagHist.a_data;
        for (let r = 0; r < tile.rows; r++) {
          const m = tile.m0 + r;
          av[slot * R + r] = 1;
          if (atag) atag[slot * R + r] = m;
          if (this.random) h.a_row![slot * R + r] = m;
          this.aTerm(ad, (slot * R + r) * L, m, t);
        }
        if (this.chunked) h.a_close![slot] = this.closes(t) ? 1 : 0;
        if (this.fixed) {
          h.a_first![slot] = t === 0 ? 1 : 0;
          h.a_last![slot] = t === this.S - 1 ? 1 : 0;
        }
        if (this.random) h.a_term![slot] = t;
        const bv = h.b_valid!;
        const btag = this.tagHist.b_data;
        for (let j = 0; j < tile.cols; j++) {
          const nn = tile.n0 + j;
          bv[slot * C + j] = 1;
          if (btag) btag[slot * C + j] = nn;
          if (this.random) h.b_col![slot * C + j] = nn;
          this.wStep(h.b_data!, h.b_idx, slot * C + j, nn, t);
        }
      }
    }
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
        if (t < this.S) {
          if (chunked) h.w_close![slot] = this.closes(t) ? 1 : 0;
          if (this.fixed) {
            h.w_first![slot] = t === 0 ? 1 : 0;
            h.w_last![slot] = t === this.S - 1 ? 1 : 0;
          }
          if (this.random) h.w_term![slot] = t;
          for (let j = 0; j < tile.cols; j++) {
            const nn = tile.n0 + j;
            h.w_valid![slot * C + j] = 1;
            if (this.random) h.w_col![slot * C + j] = nn;
            if (this.tagHist.w_data) this.tagHist.w_data[slot * C + j] = nn;
            this.wStep(h.w_data!, h.w_idx, slot * C + j, nn, t);
          }
        }
      }
      const i = x - tile.stream;
      if (i >= 0 && i < job.M) {
        for (let r = 0; r < tile.terms; r++) {
          h.a_valid![slot * R + r] = 1;
          if (this.tagHist.a_data) this.tagHist.a_data[slot * R + r] = i;
          if (this.random) h.a_row![slot * R + r] = i;
          this.aTerm(h.a_data!, (slot * R + r) * L, i, tile.t0 + r);
        }
        h.s_valid![slot] = 1;
        // A fixed-point array loads C where its first term adds: C carries its output's identity.
        const ctag = this.tagHist.s_c;
        if (ctag !== undefined) for (let j = 0; j < tile.cols; j++) ctag[slot * C + j] = i * job.N + tile.n0 + j;
        if (tile.kt === 0) {
          if (job.C !== null) {
            const dst = chunked ? h.s_total! : this.fixed ? h.s_c! : h.s_acc!;
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

  // ---------------------------------------------------------------- shared

  /** Every input port is 0 in a cycle unless the feeder drives it. */
  private clearSlot(slot: number): void {
    // Loops, not fill(): a few elements per port, where fill's call costs more than the stores.
    for (const { h, count } of this.histList) for (let i = slot * count, end = i + count; i < end; i++) h[i] = 0;
  }

  /** Writes the A lanes of step t for output row m: A[m][k] for the step's G terms (dense), or
   *  the 2:4 groups its terms' slots are in (G >= 2: G/2 groups; one term: its group); 0 past K. */
  private aTerm(dst: Elements, at: number, m: number, t: number): void {
    const { K, A } = this.job;
    const L = this.L;
    const k0 = this.sparse ? ((t * this.G) >> 1) * 4 : t * L;
    for (let l = 0; l < L; l++) dst[at + l] = k0 + l < K ? A[m * K + k0 + l]! : 0;
  }

  /** Writes the weight lanes of step t for output column n into element e of the data (and 2:4
   *  index) port: term tG+l in lane l, +0 (slot 0) past the last term. */
  private wStep(data: Elements, idx: Elements | undefined, e: number, n: number, t: number): void {
    const { G, T, job } = this;
    for (let l = 0; l < G; l++) {
      const u = t * G + l;
      if (u >= T) break;
      if (this.sparse) {
        const at = ((u >> 1) * job.N + n) * 2 + (u & 1);
        data[e * G + l] = job.slotValue![at]!;
        idx![e * G + l] = job.slotIndex![at]!;
      } else data[e * G + l] = job.B![u * job.N + n]!;
    }
  }

  /** docs/arithmetic.md section 3: a chunk closes after every `chunk` terms and after the last one
   *  (the chunk is a multiple of G: after whole steps). */
  private closes(t: number): boolean {
    return ((t + 1) * this.G) % this.arch.chunk! === 0 || t === this.S - 1;
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
    // The final D: the chunk total, a fixed-point register's rounding, or the partial sum itself.
    const dTot = this.chunked ? this.out.d_total! : this.fixed ? this.out.d_data! : dAcc;
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
    const outEv = this.arith.outEv;
    const totals = new Float64Array(N_EVENTS);
    for (let i = 0; i < outEv.length; i++) totals[i % N_EVENTS]! += outEv[i]!;
    const events = eventsAt(totals, 0);
    const perOutput: EventCounts[][] = [];
    const D: number[][] = [];
    const outputCycles: number[][] = [];
    for (let i = 0; i < M; i++) {
      perOutput.push(Array.from({ length: N }, (_, j) => eventsAt(outEv, (i * N + j) * N_EVENTS)));
      D.push(Array.from(this.D.subarray(i * N, (i + 1) * N)));
      outputCycles.push(Array.from(this.dCycle.subarray(i * N, (i + 1) * N)));
    }
    const perPE: EventCounts[][] = [];
    const peTerms: number[][] = [];
    let useful = 0;
    for (let r = 0; r < R; r++) {
      perPE.push(Array.from({ length: C }, (_, j) => eventsAt(this.arith.peEv, (r * C + j) * N_EVENTS)));
      peTerms.push(Array.from(this.peTerms.subarray(r * C, (r + 1) * C)));
      for (let j = 0; j < C; j++) useful += this.peTerms[r * C + j]!;
    }
    if (useful !== M * N * this.S) internal(`${useful} useful steps, expected M·N·S = ${M * N * this.S}`);
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
      flags: this.arch.flags ? Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, j) => this.register('flags', r * C + j, 0))) : null,
      schedule: this.sched,
    };
  }
}
