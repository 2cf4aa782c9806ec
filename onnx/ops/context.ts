// What an operator sees of its node: typed attributes, its input tensors, the opset, and the GEMM
// seam. Operators report problems as OpError with a bare message; the interpreter adds the node's
// name and operator so every message says where it comes from.
import type { AttrValue, OnnxNode } from '../model.js';
import { type GemmBackend, type Operand, type Quantizer, type Role } from '../linear.js';
import { onnxMessages as msg } from '../messages.js';
import type { Tensor } from '../tensor.js';

export class OpError extends Error {}

/** One operator: how it runs, and which attributes it understands (any other is an error). */
export interface OpDef {
  attrs: readonly string[];
  /** How many inputs (optional ones included) it takes. */
  inputs: [min: number, max: number];
  run(ctx: OpContext): Tensor;
}

export class Attrs {
  constructor(private readonly map: ReadonlyMap<string, AttrValue>) {}

  has(name: string): boolean {
    return this.map.has(name);
  }

  int(name: string, dflt?: number): number {
    const v = this.get(name, dflt);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new OpError(msg.attrType(name, 'an integer'));
    return v;
  }

  float(name: string, dflt?: number): number {
    const v = this.get(name, dflt);
    if (typeof v !== 'number') throw new OpError(msg.attrType(name, 'a number'));
    return v;
  }

  ints(name: string, dflt?: number[]): number[] {
    const v = this.get(name, dflt);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) throw new OpError(msg.attrType(name, 'a list of integers'));
    return v as number[];
  }

  floats(name: string): number[] {
    const v = this.get(name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new OpError(msg.attrType(name, 'a list of numbers'));
    return v as number[];
  }

  string(name: string, dflt?: string): string {
    const v = this.get(name, dflt);
    if (typeof v !== 'string') throw new OpError(msg.attrType(name, 'a string'));
    return v;
  }

  tensor(name: string): Tensor {
    const v = this.get(name);
    if (typeof v !== 'object' || Array.isArray(v)) throw new OpError(msg.attrType(name, 'a tensor'));
    return v;
  }

  private get(name: string, dflt?: AttrValue): AttrValue {
    const v = this.map.get(name) ?? dflt;
    if (v === undefined) throw new OpError(msg.needAttr(name));
    return v;
  }
}

export class OpContext {
  readonly attrs: Attrs;

  constructor(
    readonly node: OnnxNode,
    readonly opset: number,
    /** One per input; null for an optional input left out (named ""). */
    readonly inputs: readonly (Tensor | null)[],
    private readonly quantizer: Quantizer,
    private readonly backend: GemmBackend,
    /** Whether a value of the graph is an initializer (the same on every run). */
    private readonly isConstant: (name: string) => boolean = () => false,
  ) {
    this.attrs = new Attrs(node.attrs);
  }

  /** Input i, which must be given. */
  input(i: number): Tensor {
    const t = this.inputs[i];
    if (!t) throw new OpError(msg.needInput(i));
    return t;
  }

  /** Input i if given: optional inputs may be absent or named "". */
  optional(i: number): Tensor | null {
    return this.inputs[i] ?? null;
  }

  /** A float32 input: int64 tensors only carry shapes and axes. */
  floatInput(i: number): Tensor {
    const t = this.input(i);
    if (t.dtype !== 'float32') throw new OpError(msg.dtype(this.node.inputs[i]!, t.dtype, 'float32'));
    return t;
  }

  /** Input i's values as they enter a GEMM in the given role. */
  operand(role: Role, i: number): Operand {
    const name = this.node.inputs[i]!;
    return this.quantizer.operand(role, name, this.floatInput(i).data, this.isConstant(name));
  }

  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number): Float64Array {
    return this.backend.gemm(A, B, M, K, N, this.node.name);
  }
}

/**
 * A layout of an operand's values (`shape` says which), made once per values array: a constant
 * operand keeps its array from run to run (onnx/linear.ts), so its weight layouts are built once;
 * the entries of activations go with their arrays.
 */
export function layoutOf<T>(cache: WeakMap<Float64Array, Map<string, T>>, values: Float64Array, shape: string, build: () => T): T {
  let byShape = cache.get(values);
  if (byShape === undefined) cache.set(values, (byShape = new Map()));
  let t = byShape.get(shape);
  if (t === undefined) byShape.set(shape, (t = build()));
  return t;
}

/** An axis attribute made non-negative (ONNX counts negative axes from the end). */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new OpError(msg.axis(axis, rank));
  return a;
}
