// Runs an ONNX graph: nodes in dependency order, every float tensor rounded to float32 as it is
// made (as a float32 runtime stores it), Conv/Gemm/MatMul through the GEMM seam (onnx/linear.ts).
// A Program checks the whole graph once (operators, attributes, input counts, order) so that an
// unsupported model fails before any work, and is then run on as many batches as wanted.
import { LbamacError } from '../core/errors.js';
import { float64Backend, type GemmBackend, identityQuantizer, type Quantizer } from './linear.js';
import { onnxMessages as msg } from './messages.js';
import { decodeModel, isDefaultDomain, type OnnxModel, type OnnxNode, type ValueInfo } from './model.js';
import { OpContext, OpError } from './ops/context.js';
import { OPS } from './ops/index.js';
import { roundToFloat32, type Tensor, tensor } from './tensor.js';

/** The oldest opset whose operators the ops/ follow (numpy broadcasting arrived in 7). */
export const MIN_OPSET = 7;

export interface RunOptions {
  quantizer?: Quantizer;
  backend?: GemmBackend;
}

export class Program {
  /** The nodes in an order where every input is made before it is read. */
  readonly order: OnnxNode[];
  /** Per value: the index in `order` of its last reader; it is dropped after that node. */
  private readonly lastUse = new Map<string, number>();

  constructor(readonly model: OnnxModel) {
    if (model.opset < MIN_OPSET) throw new LbamacError(msg.oldOpset(model.opset, MIN_OPSET));
    for (const node of model.nodes) check(node);
    this.order = topoOrder(model);
    this.order.forEach((node, i) => node.inputs.forEach((name) => this.lastUse.set(name, i)));
    for (const o of model.outputs) this.lastUse.set(o.name, Infinity);
  }

  private readonly isConstant = (name: string): boolean => this.model.initializers.has(name);

  /** The graph's outputs, by name, for the given inputs (by name). */
  run(feeds: Readonly<Record<string, Tensor>>, opts: RunOptions = {}): Map<string, Tensor> {
    const quantizer = opts.quantizer ?? identityQuantizer;
    const backend = opts.backend ?? float64Backend;
    const values = new Map<string, Tensor>(this.model.initializers);
    for (const name of Object.keys(feeds)) if (!this.model.inputs.some((i) => i.name === name)) throw new LbamacError(msg.unknownInput(name, this.model.inputs.map((i) => i.name)));
    for (const info of this.model.inputs) values.set(info.name, feed(info, feeds[info.name]));
    this.order.forEach((node, i) => {
      const inputs = node.inputs.map((name) => (name === '' ? null : values.get(name)!));
      let out: Tensor;
      try {
        out = OPS[node.opType]!.run(new OpContext(node, this.model.opset, inputs, quantizer, backend, this.isConstant));
      } catch (e) {
        if (e instanceof OpError) throw new LbamacError(msg.inNode(node.name, node.opType, e.message));
        throw e;
      }
      // Views (Identity, Reshape, ...) share their input's data, which is float32 already.
      if (!inputs.some((t) => t?.data === out.data)) roundToFloat32(out);
      values.set(node.outputs[0]!, out);
      for (const name of node.inputs) if (this.lastUse.get(name) === i && !this.model.initializers.has(name)) values.delete(name);
    });
    return new Map(this.model.outputs.map((o) => [o.name, values.get(o.name)!]));
  }
}

export function loadProgram(bytes: Uint8Array, where?: string): Program {
  return new Program(decodeModel(bytes, where));
}

/** What can be checked of a node before running it. */
function check(node: OnnxNode): void {
  const op = isDefaultDomain(node.domain) ? OPS[node.opType] : undefined;
  if (!op) throw new LbamacError(msg.unsupportedOp(node.opType, node.domain, node.name, Object.keys(OPS)));
  const fail = (m: string) => new LbamacError(msg.inNode(node.name, node.opType, m));
  for (const attr of node.attrs.keys()) if (!op.attrs.includes(attr)) throw fail(msg.unknownAttr(attr, op.attrs));
  const [min, max] = op.inputs;
  if (node.inputs.length < min || node.inputs.length > max) throw fail(msg.inputCount(min, max, node.inputs.length));
  // Optional outputs (MaxPool's Indices, BatchNormalization's training statistics) are not computed.
  node.outputs.forEach((o, i) => {
    if (i > 0 && o !== '') throw fail(msg.extraOutput(i));
  });
}

/** Kahn's order over the values each node reads; ONNX requires a sorted graph, but not every writer keeps to it. */
function topoOrder(model: OnnxModel): OnnxNode[] {
  const ready = new Set<string>([...model.initializers.keys(), ...model.inputs.map((i) => i.name), '']);
  const producers = new Set(model.nodes.flatMap((n) => n.outputs));
  for (const n of model.nodes) for (const name of n.inputs) if (!ready.has(name) && !producers.has(name)) throw new LbamacError(msg.noValue(n.name, name));
  const order: OnnxNode[] = [];
  let pending = model.nodes;
  while (pending.length > 0) {
    const runnable = pending.filter((n) => n.inputs.every((name) => ready.has(name)));
    if (runnable.length === 0) throw new LbamacError(msg.cycle(pending.map((n) => n.name)));
    for (const n of runnable) {
      order.push(n);
      for (const o of n.outputs) ready.add(o);
    }
    pending = pending.filter((n) => !runnable.includes(n));
  }
  for (const o of model.outputs) if (!ready.has(o.name)) throw new LbamacError(msg.noOutput(o.name));
  return order;
}

/** A graph input as given, checked against the declared dims, float32 values rounded. */
function feed(info: ValueInfo, t: Tensor | undefined): Tensor {
  if (!t) throw new LbamacError(msg.missingInput(info.name));
  const declared = info.dims;
  if (declared && (declared.length !== t.dims.length || declared.some((d, i) => typeof d === 'number' && d !== t.dims[i]))) {
    throw new LbamacError(msg.inputShape(info.name, t.dims, declared));
  }
  return t.dtype === 'float32' ? roundToFloat32(tensor(t.dims, Float64Array.from(t.data))) : t;
}
