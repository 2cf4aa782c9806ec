// Port traces: the values of the array top's signal ports, cycle by cycle, packed the way the
// harnesses and testbenches exchange them.
//
// A port of `count` elements of `elemWidth` bits is one `width`-bit vector, element e at bits
// [e*elemWidth +: elemWidth] (arch/types.ts PortDesc). In a trace it takes ceil(width/32) 32-bit
// words, least significant word first. One cycle of a trace is the words of its ports in
// arch.ports order; a trace is its cycles in order. The stimulus is the input ports' trace, the
// response the output ports'. The binary files are exactly these words, little-endian uint32.
import type { Arch, PortDesc } from '../arch/types.js';
import { simulate, type SimJob, type SimResult } from '../sim/simulate.js';

/** Signal ports of one direction, in arch.ports order (clock and reset are driven by the harness). */
export function signalPorts(arch: Arch, dir: 'in' | 'out'): PortDesc[] {
  return arch.ports.filter((p) => p.kind === 'signal' && p.dir === dir);
}

export function wordsOf(p: PortDesc): number {
  return Math.ceil(p.width / 32);
}

/** Where each port's words start within a cycle, and the words of a whole cycle. */
export interface TraceLayout {
  ports: PortDesc[];
  offsets: number[];
  stride: number;
}

export function traceLayout(ports: readonly PortDesc[]): TraceLayout {
  const offsets: number[] = [];
  let stride = 0;
  for (const p of ports) {
    offsets.push(stride);
    stride += wordsOf(p);
  }
  return { ports: [...ports], offsets, stride };
}

/** Writes the elements of a port into its words (which must be zero beforehand). Elements are
 *  nonnegative integers of up to 53 bits (wider than 32: a fixed-point state bus). */
export function packPort(p: PortDesc, elems: ArrayLike<number>, words: Uint32Array, at: number): void {
  const w = p.elemWidth;
  for (let e = 0; e < p.count; e++) {
    let v = w > 32 ? elems[e]! : elems[e]! >>> 0;
    let bit = e * w;
    let left = w;
    while (left > 0) {
      const word = at + (bit >>> 5);
      const shift = bit & 31;
      const take = Math.min(left, 32 - shift);
      const part = v % 2 ** take;
      words[word] = (words[word]! | (part << shift)) >>> 0;
      v = Math.floor(v / 2 ** take);
      bit += take;
      left -= take;
    }
  }
}

/** Element e of a port from its words (exact up to 53 bits). */
export function unpackElement(p: PortDesc, words: Uint32Array, at: number, e: number): number {
  const w = p.elemWidth;
  let bit = e * w;
  let got = 0;
  let v = 0;
  while (got < w) {
    const shift = bit & 31;
    const take = Math.min(w - got, 32 - shift);
    const word = words[at + (bit >>> 5)]! >>> shift;
    const part = take === 32 ? word : word & ((1 << take) - 1);
    v += part * 2 ** got;
    got += take;
    bit += take;
  }
  return v;
}

/** The cycles of a trace as one growing buffer of words. */
export class TraceBuffer {
  private data: Uint32Array;
  cycles = 0;
  constructor(
    readonly layout: TraceLayout,
    capacity = 256,
  ) {
    this.data = new Uint32Array(Math.max(1, capacity) * layout.stride);
  }

  /** Appends a cycle: each port's elements by name (missing ports are 0). */
  push(values: Readonly<Record<string, ArrayLike<number>>>): void {
    const { stride, ports, offsets } = this.layout;
    if ((this.cycles + 1) * stride > this.data.length) {
      const grown = new Uint32Array(Math.max(this.data.length * 2, stride));
      grown.set(this.data);
      this.data = grown;
    }
    const base = this.cycles * stride;
    ports.forEach((p, k) => {
      const v = values[p.name];
      if (v !== undefined) packPort(p, v, this.data, base + offsets[k]!);
    });
    this.cycles++;
  }

  words(): Uint32Array {
    return this.data.subarray(0, this.cycles * this.layout.stride);
  }
}

/** A job's run on the simulator with its port trace: what the RTL must reproduce. */
export interface JobTrace {
  inputs: TraceLayout;
  outputs: TraceLayout;
  /** Input words of every cycle (the stimulus). */
  stimulus: Uint32Array;
  /** Output words of every cycle, as the simulator computed them. */
  expected: Uint32Array;
  cycles: number;
  result: SimResult;
}

/** Runs the job on the simulator and records every signal port in every cycle. */
export function traceJob(arch: Arch, job: SimJob): JobTrace {
  const inputs = traceLayout(signalPorts(arch, 'in'));
  const outputs = traceLayout(signalPorts(arch, 'out'));
  const stim = new TraceBuffer(inputs);
  const resp = new TraceBuffer(outputs);
  const result = simulate(arch, job, {
    onCycle: (_x, ports) => {
      stim.push(ports);
      resp.push(ports);
    },
  });
  return { inputs, outputs, stimulus: stim.words(), expected: resp.words(), cycles: stim.cycles, result };
}

/** A trace as $readmemh text: one line per cycle, the ports concatenated with the first port in
 *  the most significant bits (as `{p0, p1, ...}` in Verilog). */
export function traceHex(layout: TraceLayout, words: Uint32Array): string {
  const { ports, offsets, stride } = layout;
  const lines: string[] = [];
  const cycles = words.length / stride;
  for (let x = 0; x < cycles; x++) {
    let v = 0n;
    ports.forEach((p, k) => {
      let pv = 0n;
      const at = x * stride + offsets[k]!;
      for (let i = wordsOf(p) - 1; i >= 0; i--) pv = (pv << 32n) | BigInt(words[at + i]!);
      v = (v << BigInt(p.width)) | pv;
    });
    const bits = ports.reduce((n, p) => n + p.width, 0);
    lines.push(v.toString(16).padStart(Math.ceil(bits / 4), '0'));
  }
  return lines.join('\n') + '\n';
}
