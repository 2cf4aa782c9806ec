// The array top: the ports of arch.ports, the edge lines of arch.edge (input skew, shift chains,
// output deskew) and the grid of PEs. Everything the top adds to the grid is a delay: outputs are
// registers or delayed registers, never a function of the same cycle's inputs.
import { portOf } from '../../arch/build.js';
import { topExprText } from '../../arch/ir.js';
import type { Arch, LineDesc, PortDesc, TopExpr } from '../../arch/types.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { range, slice } from '../back/verilog.js';
import { delayModule } from './delay.js';
import { gridExports, gridInputName, gridModule, gridPorts } from './grid.js';

/** Wraps prose into comment lines of at most `width` characters. */
function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  // "PE(0, j)" stays on one line.
  const words = text.split(/\s+/).reduce<string[]>((ws, w) => (ws.length > 0 && /\(\w+,$/.test(ws[ws.length - 1]!) ? [...ws.slice(0, -1), `${ws[ws.length - 1]} ${w}`] : [...ws, w]), []);
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

function portComment(arch: Arch, p: PortDesc): string {
  if (p.kind !== 'signal') return p.kind;
  const what: Record<PortDesc['index'], string> = {
    scalar: '',
    row: 'element r: row r',
    col: 'element j: column j',
    pe: 'element r*C+j: PE(r, j)',
    rowLane: `element ${arch.lanes}r+q: row r, lane q`,
    colLane: `element ${arch.dot?.lanes ?? 1}j+l: column j, lane l`,
  };
  return p.count === 1 ? `${p.elemWidth} bit${p.elemWidth === 1 ? '' : 's'}` : `${p.count} x ${p.elemWidth} bits, ${what[p.index]}`;
}

/** Element e of a line signal: the port's slice, or the whole port when it is a scalar fanned out. */
function sourceElement(arch: Arch, line: LineDesc, source: string, width: number, e: number, edgeWire: (reg: string) => { name: string; width: number }): string {
  if (line.kind === 'deskew') {
    const w = edgeWire(source);
    return slice(w.name, w.width, (e + 1) * width - 1, e * width);
  }
  const p = portOf(arch, source);
  if (p.count === 1) return p.name;
  if (p.width !== line.depth.length * width) throw new Error(`internal: line ${line.name} signal ${source} is ${width} bits per element, port ${p.name} is ${p.width} bits`);
  return slice(p.name, p.width, (e + 1) * width - 1, e * width);
}

/** The concatenation of several parts ({a, b}), or the part itself. */
function cat(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `{${parts.join(', ')}}`;
}

/** Verilog of a top output expression (deskew outputs are driven by their line). */
function topVerilog(arch: Arch, e: TopExpr): string {
  switch (e.op) {
    case 'tap': {
      const line = arch.edge.find((l) => l.name === e.line)!;
      const sig = line.signals.find((s) => s.source === e.signal)!;
      return slice(`${e.signal}_taps`, line.depth.length * sig.width, (e.element + 1) * sig.width - 1, e.element * sig.width);
    }
    case 'pe':
      return gridExports(arch).find((x) => x.register === e.register && x.row === e.r && x.col === e.j)!.port;
    case 'all':
      return gridExports(arch).find((x) => x.register === e.register && x.row === null)!.port;
    case 'and':
      return e.args.map((a) => topVerilog(arch, a)).join(' & ');
    case 'deskew':
      throw new Error(`internal: a deskew output is driven by its line`);
  }
}

export function topModule(arch: Arch, config: readonly [string, string][]): VModule {
  const R = arch.rows;
  const C = arch.cols;
  const ws = arch.dataflow === 'ws';
  const grid = gridModule(arch, config);
  const gp = gridPorts(arch);
  const deps: VModule[] = [grid];
  const b = new Body();
  const edgeWire = (reg: string) => {
    const x = gridExports(arch).find((e) => e.register === reg && e.col === null);
    if (!x) throw new Error(`internal: the grid has no edge output for register ${reg}`);
    return { name: x.port, width: x.width };
  };

  // Input side first, then the grid, then the output side: every wire is declared before use.
  const emitLine = (line: LineDesc): void => {
    const n = line.depth.length;
    const lineWidth = line.signals.reduce((s, x) => s + x.width, 0);
    const depths = line.shared ? `taps 1..${n}` : line.depth.every((d, e) => d === e) ? `depth ${line.index === 'row' ? 'r' : 'j'}` : `depths ${line.depth.join(', ')}`;
    b.blank().comment(...wrap(`${line.name} (${line.signals.map((s) => s.source).join(', ')}; ${depths}): ${line.meaning}.`, 96));
    if (line.shared) {
      // One register per column, each feeding the next: column j's tap is the source j+1 cycles late.
      line.depth.forEach((d, e) => {
        if (d !== e + 1) throw new Error(`internal: shared line ${line.name} has depth ${d} at element ${e}`);
      });
      for (const s of line.signals) {
        const taps = `${s.source}_taps`;
        const W = n * s.width;
        b.decl(`reg ${range(W)}`.trimEnd(), taps, undefined, `${taps}[${s.width === 1 ? 'j' : `${s.width}*j +: ${s.width}`}]: ${s.source} from j+1 cycles before`);
      }
      const regs = line.signals.map((s) => ({ name: `${s.source}_taps`, width: n * s.width }));
      const next = line.signals.map((s) => {
        const taps = `${s.source}_taps`;
        const W = n * s.width;
        return `${taps} <= ${n === 1 ? s.source : `{${slice(taps, W, W - s.width - 1, 0)}, ${s.source}}`};`;
      });
      b.line('always @(posedge clk) begin');
      b.line('  if (rst) begin');
      for (const r of regs) b.line(`    ${r.name} <= ${r.width}'d0;`);
      b.line('  end else begin');
      for (const l of next) b.line(`    ${l}`);
      b.line('  end');
      b.line('end');
      return;
    }
    const targets = line.signals.map((s) => {
      if (line.kind === 'deskew') {
        const out = arch.outputs.find((o) => o.expr.op === 'deskew' && o.expr.line === line.name && o.expr.signal === s.source);
        if (!out) throw new Error(`internal: no output port takes ${line.name}.${s.source}`);
        const port = portOf(arch, out.port);
        return { name: port.name, width: port.width };
      }
      const name = `${s.source}_skewed`;
      b.wire(n * s.width, name);
      return { name, width: n * s.width };
    });
    for (let e = 0; e < n; e++) {
      const d = line.depth[e]!;
      const src = line.signals.map((s) => sourceElement(arch, line, s.source, s.width, e, edgeWire));
      const dst = line.signals.map((s, i) => slice(targets[i]!.name, targets[i]!.width, (e + 1) * s.width - 1, e * s.width));
      if (d === 0) {
        for (let i = 0; i < src.length; i++) b.line(`assign ${dst[i]} = ${src[i]};`);
        continue;
      }
      const delay = delayModule(lineWidth, d);
      deps.push(delay);
      // Highest signal first, so that the concatenation reads like the port list backwards.
      b.instance(delay.name, `${line.name}_${line.index}${e}`, [
        ['clk', 'clk'],
        ['rst', 'rst'],
        ['value', cat([...src].reverse())],
        ['delayed', cat([...dst].reverse())],
      ]);
    }
  };
  for (const line of arch.edge) if (line.kind === 'skew') emitLine(line);

  b.blank().comment(`The ${R} x ${C} PEs, fed by the skew lines.`);
  for (const p of gp.outputs) b.wire(p.width, p.name, undefined, p.comment);
  const conns: [string, string][] = [
    ['clk', 'clk'],
    ['rst', 'rst'],
  ];
  for (const i of arch.pe.inputs) {
    const line = arch.edge.find((l) => l.name === i.edge.line);
    if (!line) throw new Error(`internal: PE input ${i.name} names no edge line ${i.edge.line}`);
    conns.push([gridInputName(i), `${i.edge.signal}_${line.shared ? 'taps' : 'skewed'}`]);
  }
  for (const p of gp.outputs) conns.push([p.name, p.name]);
  b.instance(grid.name, 'grid', conns);
  for (const line of arch.edge) if (line.kind === 'deskew') emitLine(line);

  for (const o of arch.outputs) {
    if (o.expr.op === 'deskew') continue;
    b.blank().comment(`${o.port} = ${topExprText(o.expr)}`);
    b.line(`assign ${o.port} = ${topVerilog(arch, o.expr)};`);
  }

  const ports: Port[] = arch.ports.map((p) => ({ dir: p.dir === 'in' ? 'input' : 'output', name: p.name, width: p.width, comment: portComment(arch, p) }));
  const portText = arch.ports.filter((p) => p.kind === 'signal').flatMap((p) => wrap(`${p.name}: ${p.meaning}.`, 96, '    ').map((l) => `  ${l}`));
  const mod = makeModule({
    kind: 'array',
    nameParts: [],
    summary: [
      ...wrap(
        `The ${R} x ${C} ${ws ? 'weight' : 'output'}-stationary array: input skew lines, the grid of PEs (${grid.name}) and output ` +
          'deskew lines. Every port is a vector of elements packed element 0 in the least significant bits; the protocol and ' +
          'the cycle each input is due are in docs/rtl.md and docs/timing.md (formulas: arch/schedule.ts).',
        98,
      ),
      `clk: rising edge; rst: ${portOf(arch, 'rst').meaning}.`,
      '',
      ...portText,
    ],
    config,
    source: 'rtl-gen/hdl/top.ts',
    ports,
    body: b,
    deps,
  });
  if (mod.name !== arch.top) throw new Error(`internal: top is ${mod.name}, arch says ${arch.top}`);
  return mod;
}
