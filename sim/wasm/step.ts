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

  constructor(
    readonly wat: string,
    readonly layout: WasmLayout,
    /** The units the module imports. */
    private readonly calls: UnitCall[],
  ) {
    this.module = new WebAssembly.Module(assemble(wat) as Uint8Array<ArrayBuffer>);
  }

  /** A run's memory, with events for `outputs` outputs after the layout's arrays. */
  memory(outputs: number, tables: Record<string, Table>): RunMemory {
    return new RunMemory(this, outputs, tables);
  }

  imports(memory: WebAssembly.Memory, run: StepImports): WebAssembly.Imports {
    const { events, attribute } = run;
    // Codes cross into JavaScript as signed i32: `>>> 0` gives back the unsigned code.
    const k: WebAssembly.ModuleImports = {
      mem: memory,
      Kslow: (acc: number, code: number, q: number, o: number) => {
        const out = run.slow(acc >>> 0, code >>> 0);
        if (events[EV_SINCE] !== 0) attribute(q, o);
        return out;
      },
      Kcount: (flags: number, q: number, o: number) => {
        run.count(flags);
        if (events[EV_SINCE] !== 0) attribute(q, o);
      },
    };
    for (const u of this.calls) k[`U_${u.name}`] = callOut(run.units[u.name]!, importArity(u), u.tag !== null, events, attribute);
    return { k };
  }
}

const callers = new Map<string, (fn: unknown, events: Float64Array, attribute: unknown) => unknown>();

/** A unit's JavaScript as an import of `arity` i32 parameters (q and o first when attributed). */
function callOut(fn: (...codes: number[]) => number, arity: number, attributed: boolean, events: Float64Array, attribute: (q: number, o: number) => void): WebAssembly.ImportValue {
  const key = `${arity},${attributed}`;
  let make = callers.get(key);
  if (make === undefined) {
    const n = attributed ? arity - 2 : arity;
    const ps = Array.from({ length: n }, (_, i) => `a${i}`);
    const call = `fn(${ps.map((p) => `${p} >>> 0`).join(', ')})`;
    const body = attributed
      ? `return (q, o${ps.map((p) => `, ${p}`).join('')}) => { const r = ${call}; if (EV[${EV_SINCE}] !== 0) ATTR(q, o); return r; };`
      : `return (${ps.join(', ')}) => ${call};`;
    make = new Function('fn', 'EV', 'ATTR', body) as (fn: unknown, events: Float64Array, attribute: unknown) => unknown;
    callers.set(key, make);
  }
  return make(fn, events, attribute) as WebAssembly.ImportValue;
}

/** One run's memory: typed arrays over it by layout name. */
export class RunMemory {
  readonly memory: WebAssembly.Memory;
  private readonly outputs: number;

  constructor(
    readonly step: WasmStep,
    outputs: number,
    tables: Record<string, Table>,
  ) {
    this.outputs = outputs;
    const bytes = step.layout.end + outputs * N_EVENTS * 4;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    for (const [name, t] of Object.entries(tables)) this.view(name, t.length, t.constructor as new (b: ArrayBuffer, o: number, n: number) => Table).set(t as never);
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
    const instance = new WebAssembly.Instance(this.step.module, this.step.imports(this.memory, run));
    const step = instance.exports.step as (x: number, N: number) => void;
    return (x) => step(x, N);
  }
}
