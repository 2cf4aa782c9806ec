// The array top: the ports of arch.ports, the edge lines of arch.edge (input skew, shift chains,
// output deskew) and the grid of PEs. Everything the top adds to the grid is a delay: outputs are
// registers or delayed registers, never a function of the same cycle's inputs.
import { portOf } from '../../arch/build.js';
import type { Arch, LineDesc, PortDesc } from '../../arch/types.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { range, slice } from '../back/verilog.js';
import { delayModule } from './delay.js';
import { gridModule, gridPorts } from './grid.js';

/** The PE register each input port feeds at the array's edge (skew lines), by port name. */
const PORT_REGISTER: Record<string, string> = {
  a_data: 'a', a_valid: 'av', a_close: 'acl',
  b_data: 'b', b_idx: 'bi', b_valid: 'bv',
  w_data: 'w', w_idx: 'wi', w_valid: 'wv', w_close: 'wcl',
  s_acc: 's', s_total: 'st', s_valid: 'sv',
};

/** The output port each deskewed PE register drives. */
function deskewTarget(arch: Arch, reg: string): string {
  if (arch.dataflow === 'os') return 'd_data';
  return reg === 's' ? 'd_acc' : 'd_total';
}

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

function portComment(p: PortDesc): string {
  if (p.kind !== 'signal') return p.kind;
  const what = p.index === 'scalar' ? '' : p.index === 'row' ? `element r: row r` : p.index === 'col' ? 'element j: column j' : 'element 4r+q: row r, lane q';
  return p.count === 1 ? `${p.elemWidth} bit${p.elemWidth === 1 ? '' : 's'}` : `${p.count} x ${p.elemWidth} bits, ${what}`;
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

export function topModule(arch: Arch, config: readonly [string, string][]): VModule {
  const R = arch.rows;
  const C = arch.cols;
  const ws = arch.dataflow === 'ws';
  const grid = gridModule(arch, config);
  const gp = gridPorts(arch);
  const deps: VModule[] = [grid];
  const b = new Body();
  const edgeOut = new Map(gp.outputs.map((p) => [p.name.replace(/_(top|bottom)$/, ''), p]));
  const edgeWire = (reg: string) => {
    const p = edgeOut.get(reg);
    if (!p) throw new Error(`internal: the grid has no edge output for register ${reg}`);
    return { name: p.name, width: p.width };
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
        const port = portOf(arch, deskewTarget(arch, s.source));
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
  const shiftPort = ws ? 'w_shift' : 'c_shift';
  for (const p of gp.inputs) {
    if (p.name === 'shift') {
      conns.push(['shift', `${shiftPort}_taps`]);
      continue;
    }
    const reg = p.name.replace(/_(left|top|bottom)$/, '');
    const chain = ws ? null : arch.chunk !== null ? 'total' : 'acc';
    const port = reg === chain ? 'c_data' : Object.keys(PORT_REGISTER).find((k) => PORT_REGISTER[k] === reg && arch.ports.some((x) => x.name === k));
    if (!port) throw new Error(`internal: no port feeds grid input ${p.name}`);
    conns.push([p.name, `${port}_skewed`]);
  }
  for (const p of gp.outputs) conns.push([p.name, p.name]);
  b.instance(grid.name, 'grid', conns);
  for (const line of arch.edge) if (line.kind === 'deskew') emitLine(line);

  b.blank();
  if (ws) {
    b.comment(`A partial-sum row leaves the bottom when PE(${R - 1}, ${C - 1})'s sv is set (the last column has no deskew).`);
    b.line('assign d_valid = sv_last;');
  } else {
    b.comment(`A D row is out when the shift that moved it left the last column C = ${C} cycles ago and was a drain.`);
    b.line(`assign d_valid = ${C === 1 ? 'c_shift_taps & c_drain_taps' : `c_shift_taps[${C - 1}] & c_drain_taps[${C - 1}]`};`);
  }

  const ports: Port[] = arch.ports.map((p) => ({ dir: p.dir === 'in' ? 'input' : 'output', name: p.name, width: p.width, comment: portComment(p) }));
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
