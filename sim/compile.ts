// Compiles the PE description (arch.pe) of an array into a specialized step function, the way
// Verilator compiles Verilog: once per architecture, a small code tree (sim/step-code.ts) of loops
// over the PEs, printed as WebAssembly (sim/wasm/, the default where it applies) and as JavaScript
// (sim/step-js.ts, evaluated with `new Function`); either computes every PE's next registers each
// cycle with typed arrays and no allocation.
//
// Two kinds of register come out of the description:
//   - delay registers: loaded every cycle from the same register of a neighbour (the edge line at
//     the array's edge). PE(r, j)'s copy is then the edge port's value d(r, j) cycles ago, with d
//     linear in r and j; it is read from the port's history ring instead of being copied along.
//   - state registers: everything else, kept in one Uint32Array per register (index r*C + j; lane l
//     of a multi-lane register at (r*C + j)*lanes + l).
// State registers are updated in place in loops over the PEs whose order reads every neighbour
// before it is overwritten: a register that reads the PE above walks the rows upward from the
// bottom, one that reads the PE below walks them downward; loops run in an order such that no loop
// overwrites what a later one reads. Each PE computes all its next values before writing any.
// Units are evaluated lazily (only where a taken mux arm or an enable needs them) and at most once
// per PE and cycle, so that the events of docs/arithmetic.md section 5 are counted for the terms the array really adds, and each
// count is attributed to the PE and to the output its term belongs to (the simulator-only tags:
// the A row travels with A values, the output column with weights).
import type { Accumulation } from '../core/gemm.js';
import { kernelOf, N_EVENTS } from './pe-arith.js';
import { add, bin, cond, load, mul, namesOf, num, v, type Stmt, type Val } from './step-code.js';
import { stmtsJs } from './step-js.js';
import { RunMemory, WasmStep } from './wasm/step.js';
import { importedUnits, stepWat as printWat, type UnitPlan, WasmLayout } from './wasm/step-wat.js';
import { reads } from '../arch/ir.js';
import type { Arch, Expr, LineDesc, Neighbour, PeInputDesc, PortDesc, RegisterDesc, TagKind, UnitDesc } from '../arch/types.js';
import { fusedMulAdd, isKernelAdder, isKernelTerm, operandRoles, UNIT_KINDS, type UnitEvaluation } from '../arch/units.js';

/** d(r, j) = cr·r + cj·j + c0. */
export interface Linear {
  cr: number;
  cj: number;
  c0: number;
}

/** Where a delay register's value comes from: element `element(r, j)` of port `port`, lane-major. */
export interface DelaySource {
  port: PortDesc;
  /** Row-indexed (`left`) or column-indexed elements; scalar ports fan out to every PE. */
  by: 'row' | 'col' | 'scalar';
  lanes: number;
  delay: Linear;
}

export interface CompiledArray {
  /** State registers by name: PE q's lane l at q*lanes + l. */
  readonly stateLanes: Record<string, number>;
  /** Registers up to 32 bits in a Uint32Array; wider ones (a cut adder's sum) in a Float64Array, exact to 53 bits. */
  readonly state: Record<string, Uint32Array | Float64Array>;
  /** Delay registers by name. */
  readonly delays: Record<string, DelaySource>;
  /** Ports whose tag histories the step reads (the feeder fills them). */
  readonly taggedPorts: { port: string; kind: TagKind }[];
  /** The largest delay any read reaches back (the port histories must be longer). */
  readonly maxDelay: number;
  /** Computes every state register's value for cycle x + 1 from cycle x. */
  step(x: number): void;
}

export interface CompileEnv {
  /** Input port histories: port p in cycle x at ((x & mask) * count + e). */
  hist: Record<string, Uint32Array | Float64Array>;
  /** Tag histories of the tagged ports: ((x & mask) * (count / lanes) + e). */
  tagHist: Record<string, Uint32Array>;
  mask: number;
  kernel: Accumulation;
  /** Drains the kernel's event counters into PE q and output o. */
  attribute: (q: number, o: number) => void;
  /** Useful terms per PE. */
  peTerms: Int32Array;
  /** Columns of the job's D (tags of outputs are m * N + n). */
  N: number;
  /** Where the state arrays go (stepArrays). */
  arrays: StepArrays;
}

function internal(message: string): never {
  throw new Error(`internal simulator compiler error: ${message}`);
}

/** depth[e] = k·e + c for every element, or an error: the compiler needs closed forms. */
function linearDepth(line: LineDesc): { k: number; c: number } {
  const c = line.depth[0]!;
  const k = line.depth.length > 1 ? line.depth[1]! - c : 0;
  line.depth.forEach((d, e) => {
    if (d !== k * e + c) internal(`line ${line.name} has depths ${line.depth.join(', ')}, not linear in the element`);
  });
  return { k, c };
}

/** The description, analysed once per architecture (independent of the job). */
class Plan {
  readonly R: number;
  readonly C: number;
  readonly inputs = new Map<string, PeInputDesc>();
  readonly registers = new Map<string, RegisterDesc>();
  readonly units = new Map<string, UnitDesc>();
  readonly delays: Record<string, DelaySource> = {};
  readonly state: RegisterDesc[] = [];
  readonly taggedPorts = new Map<string, TagKind>();
  maxDelay = 0;
  /** Adders whose y operand is a multiplier nothing else reads, with that multiplier. */
  readonly fusable = new Map<string, UnitDesc>();

  constructor(readonly arch: Arch) {
    this.R = arch.rows;
    this.C = arch.cols;
    for (const i of arch.pe.inputs) this.inputs.set(i.name, i);
    for (const r of arch.pe.registers) this.registers.set(r.name, r);
    for (const u of arch.pe.units) this.units.set(u.name, u);
    for (const r of arch.pe.registers) {
      const i = r.enable === null && r.next.op === 'in' ? this.inputs.get(r.next.name) : undefined;
      if (i !== undefined && i.from !== null && i.register === r.name) this.delays[r.name] = this.delaySource(i, r.lanes);
      else this.state.push(r);
    }
    const readers = new Map<string, number>();
    const note = (e: Expr) => reads(e, 'unit').forEach((n) => readers.set(n, (readers.get(n) ?? 0) + 1));
    for (const u of arch.pe.units) Object.values(u.operands).forEach(note);
    for (const r of arch.pe.registers) {
      note(r.next);
      if (r.enable) note(r.enable);
    }
    for (const u of arch.pe.units) {
      const y = u.operands.y;
      const inner = y?.op === 'unit' ? this.units.get(y.name) : undefined;
      // With status flags every unit runs on its own: the kernel's fused step has no flags.
      if (!arch.flags && u.kind === 'add' && inner?.kind === 'mul' && readers.get(inner.name) === 1 && isKernelTerm(inner, u, arch)) this.fusable.set(u.name, inner);
    }
  }

  /** Lanes of an expression's value: a multi-lane register or input, a slice of one, a packing. */
  lanesOf(e: Expr): number {
    switch (e.op) {
      case 'reg':
        return this.registers.get(e.name)?.lanes ?? internal(`no register ${e.name}`);
      case 'in': {
        const i = this.inputs.get(e.name) ?? internal(`no input ${e.name}`);
        return i.register === null ? 1 : (this.registers.get(i.register)?.lanes ?? 1);
      }
      case 'lanes':
        return e.count;
      case 'concat':
        return e.args.reduce((n, a) => n + this.lanesOf(a), 0);
      case 'mux':
        return this.lanesOf(e.then);
      default:
        return 1;
    }
  }

  portOf(name: string): PortDesc {
    return this.arch.ports.find((p) => p.name === name) ?? internal(`no port ${name}`);
  }

  /** The edge line of an input, its port and the closed form of its depth. */
  edgeOf(i: PeInputDesc): { line: LineDesc; port: PortDesc; depth: { k: number; c: number } } {
    const line = this.arch.edge.find((l) => l.name === i.edge.line) ?? internal(`input ${i.name}: no edge line ${i.edge.line}`);
    if (!line.signals.some((s) => s.source === i.edge.signal)) internal(`line ${line.name} carries no ${i.edge.signal}`);
    return { line, port: this.portOf(i.edge.signal), depth: linearDepth(line) };
  }

  /** A register copied from neighbour to neighbour: the edge port delayed by depth + hops + 1. */
  private delaySource(i: PeInputDesc, lanes: number): DelaySource {
    const { port, depth } = this.edgeOf(i);
    const { k, c } = depth;
    const R = this.R;
    const delay: Linear = i.from === 'left' ? { cr: k, cj: 1, c0: c + 1 } : i.from === 'above' ? { cr: 1, cj: k, c0: c + 1 } : { cr: -1, cj: k, c0: R + c };
    const by = port.index === 'scalar' ? 'scalar' : i.from === 'left' ? 'row' : 'col';
    this.noteDelay(delay);
    return { port, by, lanes, delay };
  }

  noteDelay(d: Linear): void {
    const worst = Math.max(0, d.cr * (this.R - 1)) + Math.max(0, d.cj * (this.C - 1)) + d.c0;
    this.maxDelay = Math.max(this.maxDelay, worst);
  }
}

/** `x - d` masked into the ring, over r and j. */
function slotVal(d: Linear): Val {
  let sum = num(0);
  if (d.cr !== 0) sum = add(sum, mul(num(d.cr), v('r')));
  if (d.cj !== 0) sum = add(sum, mul(num(d.cj), v('j')));
  sum = add(sum, num(d.c0));
  return bin('&', bin('-', v('x'), sum), v('MASK'));
}

/** Values the loop computes once (per PE or per column), by their code. */
class Once {
  readonly byKey = new Map<string, { name: string; val: Val }>();
  constructor(private readonly prefix: string) {}

  name(val: Val): Val {
    const key = JSON.stringify(val);
    let hit = this.byKey.get(key);
    if (hit === undefined) {
      hit = { name: `${this.prefix}${this.byKey.size}`, val };
      this.byKey.set(key, hit);
    }
    return v(hit.name);
  }

  sets(): Stmt[] {
    return [...this.byKey.values()].map(({ name, val }) => ({ k: 'set', name, v: val }));
  }
}

/** Builds the code of one group loop and records everything it needs. */
class Emitter {
  /** Arrays the generated code reads, by port name. */
  readonly hists = new Set<string>();
  readonly tagHists = new Set<string>();
  readonly unitsUsed = new Set<string>();
  /** Units and wires the current loop reads. */
  groupUnits = new Set<string>();
  groupWires = new Set<string>();
  /** Ring slots the current loop reads: each is computed once per PE. */
  groupSlots = new Once('s');
  /** With the columns in the outer loop: slots and history reads that depend on the column only,
   *  computed once per column (history reads have no side effects, so reading them early is safe). */
  columnOuter = false;
  colSlots = new Once('cs');
  colReads = new Once('cv');
  /** Units evaluated inside another (a multiplier fused into its adder). */
  readonly fused = new Map<string, string>();

  constructor(private readonly plan: Plan) {}

  private slot(d: Linear): Val {
    return (this.columnOuter && d.cr === 0 ? this.colSlots : this.groupSlots).name(slotVal(d));
  }

  /** History element read of port `port` at delay d for PE (r, j), lane expression. */
  private histRead(src: DelaySource, lane: Val): Val {
    this.hists.add(src.port.name);
    const e = src.by === 'scalar' ? num(0) : src.by === 'row' ? v('r') : v('j');
    const elem = src.lanes === 1 ? e : add(mul(e, num(src.lanes)), lane);
    const read = load(`H_${src.port.name}`, add(mul(this.slot(src.delay), num(src.port.count)), elem));
    if (!this.columnOuter || src.delay.cr !== 0 || src.by === 'row' || src.lanes !== 1) return read;
    return this.colReads.name(read);
  }

  private tagRead(src: DelaySource, kind: TagKind): Val {
    this.tagHists.add(src.port.name);
    this.plan.taggedPorts.set(src.port.name, kind);
    return load(`TH_${src.port.name}`, add(mul(this.slot(src.delay), num(src.port.count / src.lanes)), v(src.by === 'row' ? 'r' : 'j')));
  }

  private at(where: 'here' | Neighbour): Val {
    return where === 'here' ? v('q') : where === 'below' ? add(v('q'), num(this.plan.C)) : bin('-', v('q'), num(where === 'left' ? 1 : this.plan.C));
  }

  /** Register `name` of this PE or a neighbour, lane `lane`. */
  private regRead(name: string, where: 'here' | Neighbour, lane: Val = num(0)): Val {
    const p = this.plan;
    const d = p.delays[name];
    if (d !== undefined) return this.histRead(where === 'here' ? d : shifted(d, where), lane);
    const r = p.registers.get(name) ?? internal(`no register ${name}`);
    return load(`S_${name}`, r.lanes === 1 ? this.at(where) : add(mul(this.at(where), num(r.lanes)), lane));
  }

  /** The edge-line value an input takes at PE (r, j) on the edge. */
  private edgeRead(i: PeInputDesc, lane: Val): Val {
    const { port, depth } = this.plan.edgeOf(i);
    const by = port.index === 'scalar' ? 'scalar' : i.from === 'left' ? 'row' : 'col';
    const lin: Linear = by === 'row' ? { cr: depth.k, cj: 0, c0: depth.c } : { cr: 0, cj: depth.k, c0: depth.c };
    this.plan.noteDelay(lin);
    const lanes = i.register !== null ? (this.plan.registers.get(i.register)?.lanes ?? 1) : 1;
    return this.histRead({ port, by, lanes, delay: lin }, lane);
  }

  private edgeCond(from: Neighbour): Val {
    return from === 'left' ? bin('===', v('j'), num(0)) : bin('===', v('r'), num(from === 'above' ? 0 : this.plan.R - 1));
  }

  /** Lane `lane` of an expression (single-lane expressions: lane 0). */
  val(e: Expr, lane = 0): Val {
    switch (e.op) {
      case 'reg':
        return this.regRead(e.name, 'here', num(lane));
      case 'in': {
        const i = this.plan.inputs.get(e.name) ?? internal(`no input ${e.name}`);
        if (i.from === null) return this.edgeRead(i, num(lane));
        return cond(this.edgeCond(i.from), this.edgeRead(i, num(lane)), this.regRead(i.register!, i.from, num(lane)));
      }
      case 'lanes':
        return this.val(e.of, e.first + lane);
      case 'concat': {
        let l = lane;
        for (const a of e.args) {
          const n = this.plan.lanesOf(a);
          if (l < n) return this.val(a, l);
          l -= n;
        }
        return internal(`lane ${lane} of a concatenation of ${this.plan.lanesOf(e)}`);
      }
      case 'wire':
        this.groupWires.add(e.name);
        return v(`w_${e.name}`);
      case 'unit':
        return this.unitVal(this.plan.units.get(e.name) ?? internal(`no unit ${e.name}`));
      case 'zero':
        return num(0);
      case 'const':
        return num(e.value);
      case 'status': {
        const u = this.unitVal(this.plan.units.get(e.unit) ?? internal(`no unit ${e.unit}`));
        if (u.k !== 'unit') internal(`the status of ${e.unit}, which has none`);
        return { k: 'status', unit: u.unit };
      }
      case 'and':
        return e.args.map((a) => this.val(a)).reduce((x, y) => bin('&', x, y));
      case 'or':
        return e.args.map((a) => this.val(a)).reduce((x, y) => bin('|', x, y));
      case 'mux':
        return cond(this.val(e.sel), this.val(e.then, lane), this.val(e.else, lane));
    }
  }

  /** Every lane of each operand, lane 0 first (a unit takes multi-lane operands spread). */
  private operandVals(ops: Expr[]): Val[] {
    return ops.flatMap((o) => Array.from({ length: this.plan.lanesOf(o) }, (_, l) => this.val(o, l)));
  }

  private unitVal(u: UnitDesc): Val {
    const ops = operandRoles(u).map((role) => u.operands[role] ?? internal(`unit ${u.name} has no ${role}`));
    if (u.kind === 'selector') {
      const [group, index] = ops;
      // The group: a register's lanes, or 4 of them (a dot-product cell's selector of one lane).
      const [reg, first] = group!.op === 'lanes' ? [group!.of, group!.first] : [group!, 0];
      if (reg.op !== 'reg') internal(`selector ${u.name}: the group must be a register or lanes of one`);
      return this.regRead(reg.name, 'here', add(num(first), this.val(index!)));
    }
    if (this.unitsUsed.has(u.name) && !this.groupUnits.has(u.name)) internal(`unit ${u.name} is read by two register loops: its events would count twice`);
    this.unitsUsed.add(u.name);
    this.groupUnits.add(u.name);
    const arch = this.plan.arch;
    // A draw counts no events and belongs to no output the tags could name: evaluated once, no more.
    if (u.kind === 'draw') return { k: 'unit', unit: { name: u.name, fn: 'own', args: this.operandVals(ops), term: false, tag: null, keepsStatus: false } };
    const tag = this.tag({ op: 'unit', name: u.name });
    if (tag === null || tag.kind !== 'output') internal(`unit ${u.name}: its term's output is not known (tag ${tag?.kind})`);
    // A multiplier whose product only this adder reads runs inside it: the kernel's one-call step.
    const inner = this.plan.fusable.get(u.name);
    if (inner !== undefined) this.fused.set(u.name, inner.name);
    const fn = inner !== undefined ? 'fused' : !arch.flags && isKernelAdder(u, arch) ? 'kernel-add' : 'own';
    const args = inner !== undefined ? [this.val(u.operands.x!), ...UNIT_KINDS[inner.kind].operands.map((role) => this.val(inner.operands[role]!))] : this.operandVals(ops);
    return { k: 'unit', unit: { name: u.name, fn, args, term: u.role === 'term', tag: tag.val, keepsStatus: arch.flags } };
  }

  /** The output identity a value carries, or null. */
  tag(e: Expr): { kind: TagKind; val: Val } | null {
    const p = this.plan;
    switch (e.op) {
      case 'reg': {
        const r = p.registers.get(e.name)!;
        if (r.tag === null) return null;
        const d = p.delays[e.name];
        if (d !== undefined) return { kind: r.tag, val: this.tagRead(d, r.tag) };
        return { kind: r.tag, val: load(`T_${e.name}`, v('q')) };
      }
      case 'in': {
        const i = p.inputs.get(e.name)!;
        const r = i.register === null ? null : p.registers.get(i.register)!;
        if (r === null || r.tag === null || i.from === null) return null;
        const { port, depth } = p.edgeOf(i);
        const by = i.from === 'left' ? 'row' : 'col';
        const edge = this.tagRead({ port, by, lanes: r.lanes, delay: by === 'row' ? { cr: depth.k, cj: 0, c0: depth.c } : { cr: 0, cj: depth.k, c0: depth.c } }, r.tag);
        const d = p.delays[r.name];
        const near = d !== undefined ? this.tagRead(shifted(d, i.from), r.tag) : load(`T_${r.name}`, this.at(i.from));
        return { kind: r.tag, val: cond(this.edgeCond(i.from), edge, near) };
      }
      case 'unit':
        return this.joinTags(Object.values(p.units.get(e.name)!.operands));
      case 'lanes':
        return this.tag(e.of);
      case 'concat':
        return this.joinTags(e.args);
      case 'mux': {
        // Both arms carry the same kind of identity (a chain that takes C or D codes): the taken one.
        const then = this.tag(e.then);
        const other = this.tag(e.else);
        if (then === null || other === null || then.kind !== other.kind) return null;
        return { kind: then.kind, val: cond(this.val(e.sel), then.val, other.val) };
      }
      default:
        return null;
    }
  }

  /** The output identity of values computed from several: an output's, or a row's with a column's. */
  private joinTags(es: Expr[]): { kind: TagKind; val: Val } | null {
    const tags = es.map((o) => this.tag(o)).filter((t) => t !== null);
    const row = tags.find((t) => t.kind === 'row');
    const col = tags.find((t) => t.kind === 'col');
    const out = tags.find((t) => t.kind === 'output');
    if (out) return out;
    if (row && col) return { kind: 'output', val: add(mul(row.val, v('N')), col.val) };
    return row ?? col ?? null;
  }
}

/** A delay source as seen from the neighbour: PE (r, j) reading `from` reads (r', j'). */
function shifted(d: DelaySource, from: Neighbour): DelaySource {
  const dr = from === 'above' ? -1 : from === 'below' ? 1 : 0;
  const dj = from === 'left' ? -1 : 0;
  return { ...d, delay: { ...d.delay, c0: d.delay.c0 + d.delay.cr * dr + d.delay.cj * dj } };
}

/** Every expression a set of registers' rules evaluate: the rules, then through wires and units. */
function ruleExprs(plan: Plan, regs: readonly RegisterDesc[]): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    out.push(e);
    for (const name of reads(e, 'wire')) if (!seen.has(`w:${name}`)) {
      seen.add(`w:${name}`);
      visit(plan.arch.pe.wires.find((w) => w.name === name)!.expr);
    }
    for (const name of reads(e, 'unit')) if (!seen.has(`u:${name}`)) {
      seen.add(`u:${name}`);
      for (const o of Object.values(plan.units.get(name)!.operands)) visit(o);
    }
  };
  for (const r of regs) {
    visit(r.next);
    if (r.enable) visit(r.enable);
  }
  return out;
}

/** The neighbour directions a register's rule reads state registers through (wires and units included). */
function directions(plan: Plan, r: RegisterDesc): Set<Neighbour> {
  const out = new Set<Neighbour>();
  for (const e of ruleExprs(plan, [r])) {
    for (const name of reads(e, 'in')) {
      const i = plan.inputs.get(name)!;
      if (i.from !== null && i.register !== null && plan.delays[i.register] === undefined) out.add(i.from);
    }
  }
  return out;
}

/** State registers a set of registers reads in its own or neighbouring PEs. */
function stateReads(plan: Plan, regs: RegisterDesc[]): Set<string> {
  const out = new Set<string>();
  for (const e of ruleExprs(plan, regs)) {
    for (const name of reads(e, 'reg')) out.add(name);
    for (const name of reads(e, 'in')) {
      const i = plan.inputs.get(name)!;
      if (i.register !== null) out.add(i.register);
    }
  }
  for (const name of [...out]) if (plan.delays[name] !== undefined) out.delete(name);
  return out;
}

interface Group {
  dirs: Neighbour[];
  regs: RegisterDesc[];
}

/** The units a register's rule evaluates (through wires and other units). */
function unitsOf(plan: Plan, r: RegisterDesc): Set<string> {
  return new Set(ruleExprs(plan, [r]).flatMap((e) => reads(e, 'unit')));
}

/**
 * State registers in loops: registers that evaluate a common unit share a loop (a unit runs once
 * per PE and cycle), a loop walks the PEs in the order its neighbour reads need, and the loops run
 * in an order where none overwrites what a later one reads.
 */
function groups(plan: Plan): Group[] {
  const merged: { regs: RegisterDesc[]; units: Set<string>; dirs: Set<Neighbour> }[] = [];
  for (const r of plan.state) {
    const units = unitsOf(plan, r);
    const dirs = directions(plan, r);
    const overlapping = merged.filter((g) => [...units].some((u) => g.units.has(u)));
    const into = { regs: [r], units, dirs };
    for (const g of overlapping) {
      into.regs.unshift(...g.regs);
      for (const u of g.units) into.units.add(u);
      for (const d of g.dirs) into.dirs.add(d);
      merged.splice(merged.indexOf(g), 1);
    }
    merged.push(into);
  }
  // Registers in a loop of their own (a cut adder: xs reads acc, acc reads xs) are one group: each
  // PE computes all of their next values before writing any.
  const reads = merged.map((h) => stateReads(plan, h.regs));
  const writes = (g: number, h: number) => merged[g]!.regs.some((r) => reads[h]!.has(r.name));
  const n = merged.length;
  const reach = Array.from({ length: n }, (_, g) => Array.from({ length: n }, (_, h) => g === h || writes(g, h)));
  for (let k = 0; k < n; k++) for (let g = 0; g < n; g++) for (let h = 0; h < n; h++) if (reach[g]![k] && reach[k]![h]) reach[g]![h] = true;
  // Each group joins the first group of its cycle (itself when it is in none).
  const byRoot = new Map<number, (typeof merged)[number]>();
  merged.forEach((g, i) => {
    const root = merged.findIndex((_, h) => reach[i]![h] && reach[h]![i]);
    const into = byRoot.get(root);
    if (into === undefined) byRoot.set(root, { regs: [...g.regs], units: new Set(g.units), dirs: new Set(g.dirs) });
    else {
      into.regs.push(...g.regs);
      for (const u of g.units) into.units.add(u);
      for (const d of g.dirs) into.dirs.add(d);
    }
  });
  const cycles = [...byRoot.values()];
  const byKey = new Map<string, Group>();
  for (const g of cycles) {
    const dirs = [...g.dirs].sort();
    if (dirs.includes('above') && dirs.includes('below')) internal(`registers ${g.regs.map((r) => r.name).join(', ')} read both the PE above and the PE below`);
    const list = g.regs.length > 0 ? g.regs : [];
    byKey.set(list.map((r) => r.name).join(','), { dirs, regs: plan.state.filter((r) => list.includes(r)) });
  }
  const list = [...byKey.values()];
  const order: Group[] = [];
  const left = new Set(list);
  while (left.size > 0) {
    // A group can run now when no other remaining group reads what it writes.
    const next = [...left].find((g) => [...left].every((h) => h === g || !g.regs.some((r) => stateReads(plan, h.regs).has(r.name))));
    if (next === undefined) internal('the state registers cannot be updated in place in any loop order');
    const last = order[order.length - 1];
    // Adjacent loops that walk the PEs the same way are one loop.
    if (last !== undefined && last.dirs.join() === next.dirs.join()) last.regs.push(...next.regs);
    else order.push({ dirs: next.dirs, regs: [...next.regs] });
    left.delete(next);
  }
  return order;
}

/** One group's loop over the PEs: every register's next value computed, then all written. */
function groupLoop(plan: Plan, em: Emitter, g: Group): Stmt {
  const up = g.dirs.includes('above');
  const rows: Omit<Stmt & { k: 'for' }, 'body'> = { k: 'for', v: 'r', n: plan.R, down: up };
  const cols: Omit<Stmt & { k: 'for' }, 'body'> = { k: 'for', v: 'j', n: plan.C, down: g.dirs.includes('left') };
  // A loop whose registers read no PE to the left may walk each column top to bottom (or bottom
  // to top) in turn, computing what depends on the column alone once per column.
  em.columnOuter = !g.dirs.includes('left');
  em.colSlots = new Once('cs');
  em.colReads = new Once('cv');
  em.groupUnits = new Set();
  em.groupWires = new Set();
  em.groupSlots = new Once('s');
  const compute: Stmt[] = [];
  const write: Stmt[] = [];
  g.regs.forEach((r, n) => {
    // Lane l of the next value in n<n>_<l> (one lane: n<n>), stored at q*lanes + l.
    const lanes = Array.from({ length: r.lanes }, (_, l) => ({ name: r.lanes === 1 ? `n${n}` : `n${n}_${l}`, at: r.lanes === 1 ? v('q') : add(mul(v('q'), num(r.lanes)), num(l)), val: em.val(r.next, l) }));
    const tag = r.tag !== null ? em.tag(r.next) : null;
    if (r.tag !== null && (tag === null || tag.kind !== r.tag)) internal(`register ${r.name} carries a ${r.tag} tag its rule does not give`);
    const stores: Stmt[] = lanes.map((l) => ({ k: 'store', arr: `S_${r.name}`, i: l.at, v: v(l.name) }));
    if (tag) stores.push({ k: 'store', arr: `T_${r.name}`, i: v('q'), v: v(`t${n}`) });
    // Tags, like values, are computed before any register of the PE is written.
    if (r.enable === null) {
      for (const l of lanes) compute.push({ k: 'set', name: l.name, v: l.val });
      if (tag) compute.push({ k: 'set', name: `t${n}`, v: tag.val });
      write.push(...stores);
    } else {
      const e = v(`e${n}`);
      compute.push({ k: 'set', name: `e${n}`, v: em.val(r.enable) });
      for (const l of lanes) compute.push({ k: 'set', name: l.name, v: num(0) }, { k: 'if', c: e, then: [{ k: 'set', name: l.name, v: l.val }] });
      if (tag) compute.push({ k: 'set', name: `t${n}`, v: cond(e, tag.val, num(0)) });
      write.push(...stores.map((s): Stmt => ({ k: 'if', c: e, then: [s] })));
    }
  });
  // The wires this loop reads (eager: they hold no units), each built once, in declaration order.
  const wires = new Map<string, Val>();
  while (wires.size < em.groupWires.size) {
    for (const name of [...em.groupWires]) if (!wires.has(name)) wires.set(name, em.val(plan.arch.pe.wires.find((w) => w.name === name)!.expr));
  }
  const pe: Stmt[] = [
    { k: 'set', name: 'q', v: add(mul(v('r'), num(plan.C)), v('j')) },
    ...em.groupSlots.sets(),
    ...plan.arch.pe.wires.filter((w) => wires.has(w.name)).map((w): Stmt => ({ k: 'set', name: `w_${w.name}`, v: wires.get(w.name)! })),
    ...(em.groupUnits.size > 0 ? [{ k: 'fresh', units: [...em.groupUnits], status: plan.arch.flags } as Stmt] : []),
    ...compute,
    ...write,
  ];
  if (em.columnOuter) return { ...cols, body: [...em.colSlots.sets(), ...em.colReads.sets(), { ...rows, body: pe }] };
  return { ...rows, body: [{ ...cols, body: pe }] };
}

const factories = new Map<string, Factory>();
const FACTORIES_KEPT = 16;

/** The generated source of an architecture's step function (for `lbamac describe --js` and tests). */
export function stepSource(arch: Arch): string {
  return factoryOf(arch).source;
}

/** The step as WebAssembly text, or null where only the JavaScript step runs (`lbamac describe --wasm`, tests). */
export function stepWat(arch: Arch): string | null {
  return factoryOf(arch).wasm?.wat ?? null;
}

/** The same Arch object is simulated many times (sweeps, benchmarks): look it up by identity first. */
const byObject = new WeakMap<Arch, Factory>();

type Factory = { plan: Plan; make: (env: unknown) => (x: number) => void; source: string; wasm: WasmStep | null };

function factoryOf(arch: Arch): Factory {
  const known = byObject.get(arch);
  if (known !== undefined) return known;
  const key = JSON.stringify(arch);
  const hit = factories.get(key);
  if (hit !== undefined) {
    byObject.set(arch, hit);
    return hit;
  }
  const plan = new Plan(arch);
  const em = new Emitter(plan);
  const body = groups(plan).map((g) => groupLoop(plan, em, g));
  // The kernel's multiply-add and adder pasted in with their constants (core/mac.ts inlineSource):
  // the units call local functions instead of the kernel's methods.
  const mac = kernelOf(arch).mac;
  const kernelStep = em.fused.size > 0 ? mac.inlineSource('K_step', 'K', 'step') : null;
  const adders = arch.flags ? [] : [...em.unitsUsed].filter((u) => !em.fused.has(u) && isKernelAdder(plan.units.get(u)!, arch));
  const kernelAdd = adders.length > 0 ? mac.inlineSource('K_add', 'K', 'add') : null;
  const inlined = kernelStep !== null;
  const bind = [
    ...(inlined || kernelAdd !== null
      ? ['const KP = env.kernel.mac.inlineParts(), KT = KP.T, KV = KP.V, KA = KP.A, KE = KP.E, Kslow = KP.slow, Kcount = KP.count;', 'const KF = new Float64Array(1), KU = new Uint32Array(KF.buffer);']
      : []),
    ...(kernelStep !== null ? [kernelStep] : []),
    ...(kernelAdd !== null ? [kernelAdd] : []),
    ...[...em.hists].map((p) => `const H_${p} = env.hist[${JSON.stringify(p)}];`),
    ...[...em.tagHists].map((p) => `const TH_${p} = env.tagHist[${JSON.stringify(p)}];`),
    ...plan.state.map((r) => `const S_${r.name} = env.state[${JSON.stringify(r.name)}];`),
    ...plan.state.filter((r) => r.tag !== null).map((r) => `const T_${r.name} = env.tags[${JSON.stringify(r.name)}];`),
    ...[...em.unitsUsed].map((u) =>
      em.fused.has(u)
        ? `const F_${u} = ${inlined ? 'K_step' : `env.fused[${JSON.stringify(u)}]`};`
        : `const U_${u} = ${kernelAdd !== null && adders.includes(u) ? 'K_add' : `env.units[${JSON.stringify(u)}]`};`,
    ),
    'const EV = env.kernel.mac.events, ST = env.status;',
    'const ATTR = env.attribute, PT = env.peTerms, MASK = env.mask, N = env.N, C = ' + plan.C + ';',
  ];
  const source = `${bind.join('\n')}\nreturn function step(x) {\n${stmtsJs(body).join('\n')}\n};`;
  const make = new Function('env', source) as (env: unknown) => (x: number) => void;
  const f = { plan, make, source, wasm: wasmStepOf(plan, body) };
  if (factories.size >= FACTORIES_KEPT) factories.delete(factories.keys().next().value!);
  factories.set(key, f);
  byObject.set(arch, f);
  return f;
}

/** Ring length of the port histories: longer than the longest delay any register, edge line or
 *  deskew line reads back. */
function historyLength(plan: Plan): number {
  let H = 1;
  while (H < Math.max(plan.maxDelay, plan.C) + 2) H *= 2;
  return H;
}

/** Whether the step runs as WebAssembly where it can (the default) or always as JavaScript
 *  (benchmarks compare the two; tests run both). */
let backend: 'wasm' | 'js' = 'wasm';

export function setStepBackend(b: 'wasm' | 'js'): void {
  backend = b;
}

/** The WebAssembly step of an architecture, or null where only the JavaScript one runs: sticky
 *  flags (a status read) and registers or ports wider than 32 bits. */
function wasmStepOf(plan: Plan, body: Stmt[]): WasmStep | null {
  const arch = plan.arch;
  if (arch.flags || plan.state.some((r) => r.laneWidth > 32) || arch.ports.some((p) => p.kind === 'signal' && p.dir === 'in' && p.elemWidth > 32)) return null;
  const kernel = kernelOf(arch);
  const constants = kernel.mac.inlineConstants();
  const { units } = namesOf(body);
  const plans = new Map<string, UnitPlan>();
  const layout = new WasmLayout();
  if (constants !== null && [...units.values()].some((u) => u.fn !== 'own')) {
    const parts = kernel.mac.inlineParts();
    layout.place('KT', parts.T.length, 'u32');
    layout.place('KV', parts.V.length, 'f64');
    layout.place('KA', parts.A.length, 'f64');
  }
  for (const u of units.values()) {
    if (u.fn !== 'own') {
      if (constants !== null) plans.set(u.name, { how: 'kernel', k: constants });
      continue;
    }
    const ev = evaluationOf(plan.units.get(u.name)!, arch, kernel);
    const table = ev.kind === 'call' ? ev.table : undefined;
    if (table === undefined) continue;
    plans.set(u.name, { how: 'table', shift: table.shift, unary: table.unary });
    layout.place(`MC_${u.name}`, table.codes.length, 'u32');
    layout.place(`MF_${u.name}`, table.flags.length, 'u8');
  }
  const H = historyLength(plan);
  const n = plan.R * plan.C;
  for (const p of arch.ports) if (p.kind === 'signal' && p.dir === 'in') layout.place(`H_${p.name}`, H * p.count, 'u32');
  for (const [port, kind] of plan.taggedPorts) layout.place(`TH_${port}`, H * (kind === 'row' ? plan.R : plan.C), 'u32');
  for (const r of plan.state) {
    layout.place(`S_${r.name}`, n * r.lanes, 'u32');
    if (r.tag !== null) layout.place(`T_${r.name}`, n, 'u32');
  }
  layout.place('PT', n, 'u32');
  layout.place('PEV', n * N_EVENTS, 'u32');
  // The events per output go last: their number is the job's.
  layout.place('OEV', 0, 'u32');
  const module = { body, layout, mask: H - 1, units: plans };
  return new WasmStep(printWat(module), layout, importedUnits(module));
}

/** The arrays of one run: in the WebAssembly step's memory when the step runs there, else on the
 *  heap. release() ends the run (its results copied out): the memory may serve the next run. */
export interface StepArrays {
  u32(name: string, length: number): Uint32Array;
  i32(name: string, length: number): Int32Array;
  release(): void;
}

const heap: StepArrays = { u32: (_, n) => new Uint32Array(n), i32: (_, n) => new Int32Array(n), release: () => {} };

/** The arrays for a run of `outputs` outputs, with the step's tables in place. */
export function stepArrays(arch: Arch, outputs: number): StepArrays {
  const wasm = factoryOf(arch).wasm;
  if (wasm === null || backend === 'js') return heap;
  return wasm.acquire(outputs, () => {
    const kernel = kernelOf(arch);
    const tables: Record<string, Uint32Array | Float64Array | Uint8Array> = {};
    if (wasm.layout.regions.has('KT')) {
      const parts = kernel.mac.inlineParts();
      Object.assign(tables, { KT: parts.T, KV: parts.V, KA: parts.A });
    }
    for (const u of arch.pe.units) {
      const ev = evaluationOf(u, arch, kernel);
      if (wasm.layout.regions.has(`MC_${u.name}`) && ev.kind === 'call' && ev.table !== undefined) Object.assign(tables, { [`MC_${u.name}`]: ev.table.codes, [`MF_${u.name}`]: ev.table.flags });
    }
    return tables;
  });
}

/** Per kernel (kernels are shared by every run of the same formats): the status of the unit
 *  evaluated last (sticky flags only) and the unit evaluators built for it. */
type KernelState = { status: Int32Array; evaluations: Map<string, UnitEvaluation>; byUnit: WeakMap<UnitDesc, { arch: Arch; ev: UnitEvaluation }> };
const perKernel = new WeakMap<Accumulation, KernelState>();

function kernelState(kernel: Accumulation): KernelState {
  let s = perKernel.get(kernel);
  if (s === undefined) {
    s = { status: new Int32Array(1), evaluations: new Map(), byUnit: new WeakMap() };
    perKernel.set(kernel, s);
  }
  return s;
}

/** A unit's evaluator for a kernel. Evaluators may build tables (tens of milliseconds): each is
 *  built once per kernel. A fixed-point unit also depends on the register (kernels are shared
 *  across registers). */
function evaluationOf(u: UnitDesc, arch: Arch, kernel: Accumulation): UnitEvaluation {
  const { status, evaluations, byUnit } = kernelState(kernel);
  // The same unit object of the same Arch comes back run after run: found without a key.
  const known = byUnit.get(u);
  if (known !== undefined && known.arch === arch) return known.ev;
  const key = JSON.stringify([u, arch.formats, arch.rounding, arch.flags, arch.fixed]);
  let ev = evaluations.get(key);
  if (ev === undefined) {
    ev = UNIT_KINDS[u.kind].evaluate(u, arch, kernel, arch.flags ? status : null);
    evaluations.set(key, ev);
  }
  byUnit.set(u, { arch, ev });
  return ev;
}

/** The compiled array for one job: state arrays allocated, units bound to the kernel. */
export function compileArray(arch: Arch, env: CompileEnv): CompiledArray {
  const { plan, make } = factoryOf(arch);
  const n = arch.rows * arch.cols;
  const state: Record<string, Uint32Array | Float64Array> = {};
  const tags: Record<string, Uint32Array> = {};
  const stateLanes: Record<string, number> = {};
  for (const r of plan.state) {
    stateLanes[r.name] = r.lanes;
    state[r.name] = r.laneWidth > 32 ? new Float64Array(n * r.lanes) : env.arrays.u32(`S_${r.name}`, n * r.lanes);
    if (r.tag !== null) tags[r.name] = env.arrays.u32(`T_${r.name}`, n);
  }
  const units: Record<string, (...codes: number[]) => number> = {};
  const { status } = kernelState(env.kernel);
  const fused: Record<string, (...codes: number[]) => number> = {};
  for (const u of arch.pe.units) {
    const ev = evaluationOf(u, arch, env.kernel);
    if (ev.kind === 'call') units[u.name] = ev.fn;
    if (plan.fusable.has(u.name)) fused[u.name] = fusedMulAdd(env.kernel);
  }
  const k = env.kernel.mac;
  const step =
    env.arrays instanceof RunMemory
      ? env.arrays.instantiate({ ...k.inlineParts(), units: { ...units, ...fused }, events: k.events, attribute: env.attribute }, env.N)
      : make({ ...env, state, tags, units, fused, status });
  return {
    state,
    stateLanes,
    delays: plan.delays,
    taggedPorts: [...plan.taggedPorts].map(([port, kind]) => ({ port, kind })),
    maxDelay: plan.maxDelay,
    step,
  };
}

/** The tagged ports and the longest delay of an architecture, before histories are allocated. */
export function historyNeeds(arch: Arch): { taggedPorts: { port: string; kind: TagKind }[]; maxDelay: number; H: number } {
  const { plan } = factoryOf(arch);
  return { taggedPorts: [...plan.taggedPorts].map(([port, kind]) => ({ port, kind })), maxDelay: plan.maxDelay, H: historyLength(plan) };
}
