// The step compiled to WebAssembly: the module is assembled once per architecture; each run gets
// its own memory (the kernel's and the multipliers' tables copied in, the run's arrays at the
// layout's offsets) and an instance whose imports call back into the run's JavaScript units.
import { EV_SINCE } from '../../core/mac.js';
import { N_EVENTS } from '../pe-arith.js';
import type { UnitCall } from '../step-code.js';
import { assemble } from './assemble.js';
import { importArity, type WasmLayout } from './step-wat.js';

const PAGE = 65536;

type Table = Uint32Array | Float64Array | Uint8Array;

/** What the imports call: the kernel's slow paths, each unit's JavaScript, and the attribution of
 *  the events they counted (sim/pe-arith.ts attribute). */
export interface StepImports {
  slow: (acc: number, code: number) => number;
  count: (flags: number) => void;
  units: Record<string, (...codes: number[]) => number>;
  events: Float64Array;
  attribute: (q: number, o: number) => void;
}

export class WasmStep {
  readonly module: WebAssembly.Module;
  /** Memories (with their instances) of finished runs: the tables are in place already. */
  private readonly free: RunMemory[] = [];

  constructor(
    readonly wat: string,
    readonly layout: WasmLayout,
    /** The units the module imports. */
    readonly calls: UnitCall[],
  ) {
    this.module = new WebAssembly.Module(assemble(wat) as Uint8Array<ArrayBuffer>);
  }

  /** A memory for a run with events for `outputs` outputs after the layout's arrays: a finished
   *  run's, cleared, or a new one with `tables()` copied in. Give it back with release(). */
  acquire(outputs: number, tables: () => Record<string, Table>): RunMemory {
    const m = this.free.pop() ?? new RunMemory(this, tables());
    m.prepare(outputs);
    return m;
  }

  release(m: RunMemory): void {
    this.free.push(m);
  }
}

/** The imports read the current run's units and counters through a context the run sets. */
function imports(step: WasmStep, memory: WebAssembly.Memory, ctx: StepImports): WebAssembly.Imports {
  // Codes cross into JavaScript as signed i32: `>>> 0` gives back the unsigned code.
  const k: WebAssembly.ModuleImports = {
    mem: memory,
    Kslow: (acc: number, code: number, q: number, o: number) => {
      const out = ctx.slow(acc >>> 0, code >>> 0);
      if (ctx.events[EV_SINCE] !== 0) ctx.attribute(q, o);
      return out;
    },
    Kcount: (flags: number, q: number, o: number) => {
      ctx.count(flags);
      if (ctx.events[EV_SINCE] !== 0) ctx.attribute(q, o);
    },
  };
  for (const u of step.calls) k[`U_${u.name}`] = callOut(ctx, u.name, importArity(u), u.tag !== null);
  return { k };
}

/** Unit `name`'s JavaScript as an import of `arity` i32 parameters (q and o first when its events
 *  are attributed). */
function callOut(ctx: StepImports, name: string, arity: number, attributed: boolean): WebAssembly.ImportValue {
  const n = attributed ? arity - 2 : arity;
  const ps = Array.from({ length: n }, (_, i) => `a${i}`);
  const call = `ctx.units[${JSON.stringify(name)}](${ps.map((p) => `${p} >>> 0`).join(', ')})`;
  const body = attributed
    ? `return (q, o${ps.map((p) => `, ${p}`).join('')}) => { const r = ${call}; if (ctx.events[${EV_SINCE}] !== 0) ctx.attribute(q, o); return r; };`
    : `return (${ps.join(', ')}) => ${call};`;
  return new Function('ctx', body)(ctx) as WebAssembly.ImportValue;
}

/** One run's memory and instance: typed arrays over it by layout name. */
export class RunMemory {
  readonly memory: WebAssembly.Memory;
  private outputs = 0;
  private readonly ctx: StepImports = { slow: () => 0, count: () => {}, units: {}, events: new Float64Array(0), attribute: () => {} };
  private readonly exports: { step: (x: number, N: number) => void };
  /** Where the arrays after the tables begin (all of them are cleared for each run). */
  private readonly runStart: number;

  constructor(
    readonly step: WasmStep,
    tables: Record<string, Table>,
  ) {
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(step.layout.end / PAGE)) });
    for (const [name, t] of Object.entries(tables)) this.view(name, t.length, t.constructor as new (b: ArrayBuffer, o: number, n: number) => Table).set(t as never);
    this.runStart = Math.min(...[...step.layout.regions].filter(([name]) => !(name in tables)).map(([, r]) => r.offset));
    this.exports = new WebAssembly.Instance(step.module, imports(step, this.memory, this.ctx)).exports as never;
  }

  /** Room for `outputs` outputs' events, and every array but the tables zero. */
  prepare(outputs: number): void {
    this.outputs = outputs;
    const bytes = this.step.layout.end + outputs * N_EVENTS * 4;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    new Uint8Array(this.memory.buffer, this.runStart, bytes - this.runStart).fill(0);
  }

  private view<T>(name: string, length: number, Type: new (b: ArrayBuffer, o: number, n: number) => T): T {
    if (name === 'OEV') {
      if (length !== this.outputs * N_EVENTS) throw new Error(`internal simulator compiler error: events of ${length / N_EVENTS} outputs, the memory holds ${this.outputs}`);
      return new Type(this.memory.buffer, this.step.layout.end, length);
    }
    const r = this.step.layout.regions.get(name);
    if (r === undefined || r.length !== length) throw new Error(`internal simulator compiler error: array ${name} of ${length} elements, the layout has ${r?.length ?? 'none'}`);
    return new Type(this.memory.buffer, r.offset, length);
  }

  u32(name: string, length: number): Uint32Array {
    return this.view(name, length, Uint32Array);
  }

  i32(name: string, length: number): Int32Array {
    return this.view(name, length, Int32Array);
  }

  /** The step of this run: step(x) computes cycle x + 1's registers; N is the job's columns. */
  instantiate(run: StepImports, N: number): (x: number) => void {
    Object.assign(this.ctx, run);
    const step = this.exports.step;
    return (x) => step(x, N);
  }

  /** The run is over (its results copied out): the memory can serve the next one. */
  release(): void {
    this.step.release(this);
  }
}
