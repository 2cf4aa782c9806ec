// The grid of R x C PEs and the wires between neighbours, from the PE inputs of the description:
// an input that reads a neighbour's register is wired to it, and on the array's edge (no such
// neighbour) to a grid port that the top feeds from the input's edge line. Registers the top reads
// (deskew sources, single-PE outputs) leave through grid output ports.
import type { Arch, Neighbour, PeInputDesc } from '../../arch/types.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { range, slice } from '../back/verilog.js';
import { peModule, peNameParts, peOutputs } from './pe.js';

/** The grid port side a neighbour-less PE's input enters from. */
const ENTRY: Record<Neighbour, string> = { left: 'left', above: 'top', below: 'bottom' };

/** The PE that PE(r, j) reads through `from`, or null on the array's edge. */
function neighbour(arch: Arch, from: Neighbour, r: number, j: number): [number, number] | null {
  if (from === 'left') return j > 0 ? [r, j - 1] : null;
  if (from === 'above') return r > 0 ? [r - 1, j] : null;
  return r + 1 < arch.rows ? [r + 1, j] : null;
}

/** The grid input port that carries an input's edge-line values (one element per row or column). */
export function gridInputName(i: PeInputDesc): string {
  return i.from === null ? i.name : `${i.register}_${ENTRY[i.from]}`;
}

/** Elements of a grid input: rows for inputs entering on the left, columns otherwise. */
export function gridInputElements(arch: Arch, i: PeInputDesc): number {
  return i.from === 'left' ? arch.rows : arch.cols;
}

/** A register the top reads: of one PE, of a row of PEs (element j: column j), or of every PE (element r*C+j). */
export interface GridExport {
  port: string;
  register: string;
  /** The row (null: every PE) and the column (null: every column). */
  row: number | null;
  col: number | null;
  width: number;
}

export function gridExports(arch: Arch): GridExport[] {
  const out: GridExport[] = [];
  const width = (name: string) => arch.pe.registers.find((r) => r.name === name)!.width;
  for (const line of arch.edge) {
    if (line.kind !== 'deskew') continue;
    const row = line.sourceRow!;
    for (const s of line.signals) {
      // Named for the edge the register leaves the grid at: the opposite of where its readers take it from.
      const from = arch.pe.inputs.find((i) => i.register === s.source)?.from;
      const side = from === 'above' ? 'bottom' : from === 'below' ? 'top' : `r${row}`;
      out.push({ port: `${s.source}_${side}`, register: s.source, row, col: null, width: arch.cols * s.width });
    }
  }
  const visit = (e: Arch['outputs'][number]['expr']): void => {
    if (e.op === 'pe') out.push({ port: `${e.register}_r${e.r}_c${e.j}`, register: e.register, row: e.r, col: e.j, width: width(e.register) });
    else if (e.op === 'and') e.args.forEach(visit);
  };
  for (const o of arch.outputs) {
    visit(o.expr);
    if (o.expr.op === 'all') out.push({ port: `${o.expr.register}_all`, register: o.expr.register, row: null, col: null, width: arch.rows * arch.cols * width(o.expr.register) });
  }
  return out;
}

export function gridPorts(arch: Arch): { inputs: Port[]; outputs: Port[] } {
  const inputs: Port[] = arch.pe.inputs.map((i) => {
    const n = gridInputElements(arch, i);
    return { dir: 'input', name: gridInputName(i), width: n * i.width, comment: `${i.name} of the PEs on the edge (element: ${i.from === 'left' ? 'row' : 'column'}), from ${i.edge.line}.${i.edge.signal}` };
  });
  const outputs: Port[] = gridExports(arch).map((x) => ({
    dir: 'output',
    name: x.port,
    width: x.width,
    comment: x.row === null ? `${x.register} of every PE, element r*C+j: PE(r, j)` : x.col === null ? `${x.register} of row ${x.row}, element j: column j` : `${x.register} of PE(${x.row}, ${x.col})`,
  }));
  return { inputs, outputs };
}

/** lbamac_grid_<R>x<C>_<PE parameters>. */
export function gridModule(arch: Arch, config: readonly [string, string][]): VModule {
  const R = arch.rows;
  const C = arch.cols;
  const pe = peModule(arch, config);
  const outputs = peOutputs(arch);
  const ports = gridPorts(arch);
  const exports = gridExports(arch);
  const b = new Body();
  const at = (reg: string, r: number, j: number) => `${reg}_r${r}_c${j}`;
  // Which registers of which PEs some neighbour reads (those get a wire).
  const readers = new Map<string, Set<string>>();
  for (const i of arch.pe.inputs) {
    if (i.from === null) continue;
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < C; j++) {
        const src = neighbour(arch, i.from, r, j);
        if (src) {
          const set = readers.get(i.register!) ?? new Set<string>();
          set.add(at(i.register!, ...src));
          readers.set(i.register!, set);
        }
      }
    }
  }

  b.comment('Between neighbours: <register>_r<row>_c<column> is that register of PE(row, column).');
  const tw = Math.max(...outputs.map((reg) => range(reg.width).length));
  for (const reg of outputs) {
    const wired = readers.get(reg.name);
    if (!wired) continue;
    for (let r = 0; r < R; r++) {
      const names: string[] = [];
      for (let j = 0; j < C; j++) if (wired.has(at(reg.name, r, j))) names.push(at(reg.name, r, j));
      if (names.length > 0) b.line(`wire ${range(reg.width).padEnd(tw)} ${names.join(', ')};`);
    }
  }
  b.blank();

  b.comment('Registers that leave the array at its far edges are read by nobody: those outputs are left open on purpose.');
  b.line('/* verilator lint_off PINCONNECTEMPTY */');
  const exportedBy = (reg: string, r: number, j: number): string | null => {
    const x = exports.find((e) => e.register === reg && (e.row === null || e.row === r) && (e.col === null || e.col === j));
    if (!x) return null;
    if (x.row === null) {
      const w = x.width / (R * C);
      return slice(x.port, x.width, (r * C + j + 1) * w - 1, (r * C + j) * w);
    }
    return x.col === null ? slice(x.port, x.width, (j + 1) * (x.width / C) - 1, j * (x.width / C)) : x.port;
  };
  const tail: string[] = [];
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < C; j++) {
      const conns: [string, string][] = [
        ['clk', 'clk'],
        ['rst', 'rst'],
      ];
      for (const i of arch.pe.inputs) {
        const src = i.from === null ? null : neighbour(arch, i.from, r, j);
        if (src) {
          conns.push([i.name, at(i.register!, ...src)]);
          continue;
        }
        const e = i.from === 'left' ? r : j;
        const n = gridInputElements(arch, i);
        conns.push([i.name, slice(gridInputName(i), n * i.width, (e + 1) * i.width - 1, e * i.width)]);
      }
      for (const reg of outputs) {
        const wired = readers.get(reg.name)?.has(at(reg.name, r, j)) ?? false;
        const exported = exportedBy(reg.name, r, j);
        if (wired) {
          conns.push([reg.name, at(reg.name, r, j)]);
          if (exported !== null) tail.push(`assign ${exported} = ${at(reg.name, r, j)};`);
        } else conns.push([reg.name, exported ?? '']);
      }
      b.instance(pe.name, `pe_r${r}_c${j}`, conns);
    }
  }
  b.line('/* verilator lint_on PINCONNECTEMPTY */');
  if (tail.length > 0) {
    b.blank().comment('Registers the top reads that a neighbour reads too.');
    for (const l of tail) b.line(l);
  }

  return makeModule({
    kind: 'grid',
    nameParts: [`${R}x${C}`, ...peNameParts(arch)],
    summary: [
      `${R} x ${C} PEs (${pe.name}) and the wires between neighbours; PE(r, j) is row r, column j.`,
      `Edge inputs: ${ports.inputs.map((p) => p.name).join(', ')}; to the top: ${ports.outputs.map((p) => p.name).join(', ')}.`,
    ],
    config,
    source: 'rtl-gen/hdl/grid.ts',
    ports: [{ dir: 'input', name: 'clk', width: 1 }, { dir: 'input', name: 'rst', width: 1 }, ...ports.inputs, ...ports.outputs],
    body: b,
    deps: [pe],
  });
}
