// The grid of R x C PEs and the wires between neighbours. Every PE register moves one way (A to
// the right; B, partial sums down; the OS output chain and the WS weight chain up) or is read at
// the edge; the grid's ports are the edges where the lines of the top (rtl-gen/hdl/top.ts) enter
// and leave.
import type { Arch } from '../../arch/types.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { range, slice } from '../back/verilog.js';
import { peModule, peNameParts, peSignals } from './pe.js';

type Way = 'right' | 'down' | 'up';

/** Which way each PE output register moves. */
function wayOf(arch: Arch, reg: string): Way {
  if (reg === 'a' || reg === 'av' || reg === 'acl') return 'right';
  if (arch.dataflow === 'os') return reg === 'acc' || reg === 'total' ? 'up' : 'down';
  return reg === 's' || reg === 'st' || reg === 'sv' ? 'down' : 'up';
}

const ENTRY: Record<Way, string> = { right: 'left', down: 'top', up: 'bottom' };
const EXIT: Record<Way, string> = { right: 'right', down: 'bottom', up: 'top' };

export interface GridPorts {
  /** Edge inputs: `<reg>_<left|top|bottom>` (one element per row or column), and `shift`. */
  inputs: Port[];
  /** Edge outputs the top reads: OS `<acc|total>_top`; WS `s_bottom`, `st_bottom`, `sv_last`. */
  outputs: Port[];
}

/** Which leaving values the top reads: the OS output chain at the top; the WS partial sums at the bottom. */
function exported(arch: Arch, reg: string): boolean {
  return arch.dataflow === 'os' ? wayOf(arch, reg) === 'up' : reg === 's' || reg === 'st';
}

export function gridPorts(arch: Arch): GridPorts {
  const { outputs } = peSignals(arch);
  const inputs: Port[] = [];
  const outs: Port[] = [];
  for (const r of outputs) {
    const way = wayOf(arch, r.name);
    const n = way === 'right' ? arch.rows : arch.cols;
    inputs.push({ dir: 'input', name: `${r.name}_${ENTRY[way]}`, width: n * r.width, comment: `${r.name} entering ${way === 'right' ? 'row r' : 'column j'} (element ${way === 'right' ? 'r' : 'j'})` });
    if (exported(arch, r.name)) outs.push({ dir: 'output', name: `${r.name}_${EXIT[way]}`, width: n * r.width, comment: `${r.name} of ${way === 'up' ? 'row 0' : `row ${arch.rows - 1}`}, column j` });
  }
  inputs.push({ dir: 'input', name: 'shift', width: arch.cols, comment: `column j's ${arch.dataflow === 'os' ? 'output' : 'weight'} chain shifts` });
  if (arch.dataflow === 'ws') outs.push({ dir: 'output', name: 'sv_last', width: 1, comment: `sv of PE(${arch.rows - 1}, ${arch.cols - 1}): a partial-sum row is leaving` });
  return { inputs, outputs: outs };
}

/** lbamac_grid_<R>x<C>_<PE parameters>. */
export function gridModule(arch: Arch, config: readonly [string, string][]): VModule {
  const R = arch.rows;
  const C = arch.cols;
  const pe = peModule(arch, config);
  const { outputs, inputs: peInputs } = peSignals(arch);
  const ports = gridPorts(arch);
  const b = new Body();
  const at = (reg: string, r: number, j: number) => `${reg}_r${r}_c${j}`;

  // Which PE (r, j) reads the register of PE (r, j) moving `way`, if any.
  const reader = (way: Way, r: number, j: number): [number, number] | null => {
    if (way === 'right') return j + 1 < C ? [r, j + 1] : null;
    if (way === 'down') return r + 1 < R ? [r + 1, j] : null;
    return r > 0 ? [r - 1, j] : null;
  };
  b.comment(`Between neighbours: <register>_r<row>_c<column> is that register of PE(row, column).`);
  const tw = Math.max(...outputs.map((reg) => range(reg.width).length));
  for (const reg of outputs) {
    const way = wayOf(arch, reg.name);
    for (let r = 0; r < R; r++) {
      const names: string[] = [];
      for (let j = 0; j < C; j++) if (reader(way, r, j)) names.push(at(reg.name, r, j));
      if (names.length > 0) b.line(`wire ${range(reg.width).padEnd(tw)} ${names.join(', ')};`);
    }
  }
  b.blank();

  b.comment(
    'The registers that leave the array at its far edges (A past the last column' + (arch.dataflow === 'os' ? ', B past the' : ', weights past'),
    arch.dataflow === 'os' ? 'last row) are read by nobody: those outputs are left open on purpose.' : 'the top row, sv but the last column\'s) are read by nobody: those outputs are left open on purpose.',
  );
  b.line('/* verilator lint_off PINCONNECTEMPTY */');
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < C; j++) {
      const conns: [string, string][] = [
        ['clk', 'clk'],
        ['rst', 'rst'],
      ];
      for (const p of peInputs) {
        if (p.name === 'shift') {
          conns.push(['shift', C === 1 ? 'shift' : `shift[${j}]`]);
          continue;
        }
        const reg = outputs.find((o) => `${o.name}_in` === p.name)!;
        const way = wayOf(arch, reg.name);
        const from: [number, number] | null = way === 'right' ? (j > 0 ? [r, j - 1] : null) : way === 'down' ? (r > 0 ? [r - 1, j] : null) : r + 1 < R ? [r + 1, j] : null;
        if (from) conns.push([p.name, at(reg.name, ...from)]);
        else {
          const e = way === 'right' ? r : j;
          const n = way === 'right' ? R : C;
          conns.push([p.name, slice(`${reg.name}_${ENTRY[way]}`, n * reg.width, (e + 1) * reg.width - 1, e * reg.width)]);
        }
      }
      for (const reg of outputs) {
        const way = wayOf(arch, reg.name);
        if (reader(way, r, j)) conns.push([reg.name, at(reg.name, r, j)]);
        else if (exported(arch, reg.name)) conns.push([reg.name, slice(`${reg.name}_${EXIT[way]}`, C * reg.width, (j + 1) * reg.width - 1, j * reg.width)]);
        else if (reg.name === 'sv' && j === C - 1) conns.push([reg.name, 'sv_last']);
        else conns.push([reg.name, '']);
      }
      b.instance(pe.name, `pe_r${r}_c${j}`, conns);
    }
  }
  b.line('/* verilator lint_on PINCONNECTEMPTY */');

  return makeModule({
    kind: 'grid',
    nameParts: [`${R}x${C}`, ...peNameParts(arch)],
    summary: [
      `${R} x ${C} PEs (${pe.name}) and the wires between neighbours; PE(r, j) is row r, column j.`,
      arch.dataflow === 'os'
        ? 'A enters on the left, B at the top; the output chain enters at the bottom and leaves at the top.'
        : 'A enters on the left; weights enter at the bottom; partial sums enter at the top and leave at the bottom.',
    ],
    config,
    source: 'rtl-gen/hdl/grid.ts',
    ports: [{ dir: 'input', name: 'clk', width: 1 }, { dir: 'input', name: 'rst', width: 1 }, ...ports.inputs, ...ports.outputs],
    body: b,
    deps: [pe],
  });
}
