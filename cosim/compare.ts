// Comparing two traces of the output ports (the simulator's and the RTL's) cycle by cycle and
// element by element, and saying where a difference sits in the array: which column, which PE
// the value leaves from, and both values as codes and numbers.
import { toFloat64 } from '../core/arith.js';
import { hexCode } from '../core/describe.js';
import { formatOf } from '../arch/build.js';
import type { Arch, FormatDesc, PortDesc } from '../arch/types.js';
import { type TraceLayout, unpackElement } from './trace.js';

export interface Mismatch {
  cycle: number;
  port: string;
  element: number;
  rtl: number;
  sim: number;
  /** One line: cycle, port[element], where in the array, both values. */
  text: string;
}

export interface Comparison {
  cycles: number;
  /** The first mismatches (earliest cycles first), at most `limit`. */
  first: Mismatch[];
  /** Every mismatching element in every cycle. */
  total: number;
  /** Cycles with at least one mismatch. */
  cyclesWithMismatch: number;
}

/** The number format a port's elements are codes of, or null for control and index ports. */
export function portFormat(arch: Arch, name: string): FormatDesc | null {
  const f = arch.formats;
  switch (name) {
    case 'a_data':
      return f.a;
    case 'b_data':
    case 'w_data':
      return f.w;
    case 'c_data':
    case 'd_data':
      return f.out;
    case 's_acc':
    case 'd_acc':
      return f.acc;
    case 's_total':
    case 'd_total':
      return f.total;
    default:
      return null;
  }
}

/** Where element e of a port meets the array (outputs: the PE the value leaves from). */
export function elementPlace(arch: Arch, p: PortDesc, e: number): string {
  const R = arch.rows;
  const C = arch.cols;
  if (p.dir === 'out') {
    // OS: D leaves each column's output chain at the top row; WS: partial sums leave at the
    // bottom row. Both pass the deskew line; d_valid follows the last column.
    if (p.index === 'col') return arch.dataflow === 'os' ? `column ${e}, from PE(0, ${e})` : `column ${e}, from PE(${R - 1}, ${e})`;
    if (p.index === 'pe') return `PE(${Math.floor(e / C)}, ${e % C})`;
    return arch.dataflow === 'os' ? `the shift/drain chain of column ${C - 1}` : `sv of PE(${R - 1}, ${C - 1})`;
  }
  switch (p.index) {
    case 'row':
      return `row ${e}, into PE(${e}, 0)`;
    case 'rowLane': {
      const L = p.count / R;
      return `row ${Math.floor(e / L)} lane ${e % L}, into PE(${Math.floor(e / L)}, 0)`;
    }
    case 'colLane': {
      const G = p.count / C;
      const bottom = p.name.startsWith('w_');
      return `column ${Math.floor(e / G)} lane ${e % G}, into PE(${bottom ? R - 1 : 0}, ${Math.floor(e / G)})`;
    }
    case 'col': {
      // B and partial sums enter at the top row; C (OS) and weights (WS) at the bottom row.
      const bottom = p.name === 'c_data' || p.name.startsWith('w_');
      return `column ${e}, into PE(${bottom ? R - 1 : 0}, ${e})`;
    }
    default:
      return 'every PE';
  }
}

/** A code with its value ("0x3c00 (1)"), or a plain hex number for control ports. */
export function showValue(arch: Arch, port: string, v: number): string {
  const d = portFormat(arch, port);
  if (d === null) return `0x${v.toString(16)}`;
  const f = formatOf(d);
  return `${hexCode(v, f)} (${toFloat64(v, f)})`;
}

export function mismatchText(arch: Arch, p: PortDesc, m: Omit<Mismatch, 'text'>): string {
  const name = p.count === 1 ? p.name : `${p.name}[${m.element}]`;
  return `cycle ${m.cycle}: ${name} (${elementPlace(arch, p, m.element)}): RTL ${showValue(arch, p.name, m.rtl)}, simulator ${showValue(arch, p.name, m.sim)}`;
}

/** Compares the RTL's output trace with the simulator's, every port, element and cycle. */
export function compareTraces(arch: Arch, layout: TraceLayout, sim: Uint32Array, rtl: Uint32Array, limit = 10): Comparison {
  const { ports, offsets, stride } = layout;
  if (sim.length !== rtl.length) throw new Error(`traces differ in length: simulator ${sim.length / stride} cycles, RTL ${rtl.length / stride}`);
  const cycles = sim.length / stride;
  const first: Mismatch[] = [];
  let total = 0;
  let cyclesWithMismatch = 0;
  for (let x = 0; x < cycles; x++) {
    const base = x * stride;
    let same = true;
    for (let w = base; w < base + stride; w++) if (sim[w] !== rtl[w]) same = false;
    if (same) continue;
    cyclesWithMismatch++;
    ports.forEach((p, k) => {
      const at = base + offsets[k]!;
      for (let e = 0; e < p.count; e++) {
        const s = unpackElement(p, sim, at, e);
        const r = unpackElement(p, rtl, at, e);
        if (s === r) continue;
        total++;
        if (first.length < limit) {
          const m = { cycle: x, port: p.name, element: e, rtl: r, sim: s };
          first.push({ ...m, text: mismatchText(arch, p, m) });
        }
      }
    });
  }
  return { cycles, first, total, cyclesWithMismatch };
}
