// A VCD (IEEE 1364 value change dump) of a simulation, readable by GTKWave: the top's ports, the
// edge registers (one scope per skew/deskew line) and one scope per PE with its registers at their
// real widths, values in binary. Names and widths come from the Arch, as the RTL's will.
import type { Arch, LineDesc, PortDesc } from '../arch/types.js';

export interface VcdSink {
  write(text: string): void;
}

/** What the writer reads each cycle; sim/simulate.ts's Machine implements it. */
export interface VcdSource {
  readonly arch: Arch;
  readonly x: number;
  /** Lane l of PE register `name` of PE q (r * cols + j) in the current cycle. */
  register(name: string, q: number, l: number): number;
  readonly out: Readonly<Record<string, Uint32Array | Float64Array>>;
  portAt(name: string, e: number, k: number): number;
  srcAt(reg: string, j: number, k: number): number;
}

interface Var {
  id: string;
  kind: 'wire' | 'reg';
  name: string;
  lanes: number;
  laneWidth: number;
  /** Value of lane l in the current cycle. */
  get: (l: number) => number;
}

interface Scope {
  name: string;
  vars: Var[];
  scopes: Scope[];
}

/** VCD identifier codes: printable ASCII '!'..'~' in base 94. */
export function vcdId(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

function bits(v: number, width: number): string {
  return v.toString(2).padStart(width, '0');
}

/** Nanoseconds per cycle in the dump: clk rises at 10·x and falls at 10·x + 5. */
export const VCD_PERIOD = 10;

export class SimVcd {
  private readonly top: Scope;
  private readonly vars: Var[] = [];
  private readonly prev: Float64Array;
  private readonly clkId: string;
  private chunks: string[] = [];
  private size = 0;
  private started = false;

  constructor(
    private readonly src: VcdSource,
    private readonly sink: VcdSink,
  ) {
    const arch = src.arch;
    const R = arch.rows;
    const C = arch.cols;
    let next = 0;
    const mk = (kind: Var['kind'], name: string, lanes: number, laneWidth: number, get: (l: number) => number): Var => {
      const v: Var = { id: vcdId(next++), kind, name, lanes, laneWidth, get };
      this.vars.push(v);
      return v;
    };
    this.top = { name: arch.top, vars: [], scopes: [] };
    // Ports. clk is driven by the writer itself; rst stays 0 (the dump starts after reset).
    for (const p of arch.ports) {
      if (p.kind === 'clock') this.top.vars.push(mk('wire', p.name, 1, 1, () => 0));
      else if (p.kind === 'reset') this.top.vars.push(mk('wire', p.name, 1, 1, () => 0));
      else if (p.dir === 'in') this.top.vars.push(mk('wire', p.name, p.count, p.elemWidth, (l) => src.portAt(p.name, l, 0)));
      else this.top.vars.push(mk('wire', p.name, p.count, p.elemWidth, (l) => src.out[p.name]![l]!));
    }
    this.clkId = this.top.vars[0]!.id;
    // Edge lines.
    const ports = new Map(arch.ports.map((p) => [p.name, p]));
    for (const line of arch.edge) this.top.scopes.push(...this.lineScopes(line, ports, mk));
    // PEs.
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < C; j++) {
        const q = r * C + j;
        const scope: Scope = { name: `pe_${r}_${j}`, vars: [], scopes: [] };
        for (const reg of arch.pe.registers) {
          scope.vars.push(mk('reg', reg.name, reg.lanes, reg.laneWidth, (l) => src.register(reg.name, q, l)));
        }
        this.top.scopes.push(scope);
      }
    }
    let lanes = 0;
    for (const v of this.vars) lanes += v.lanes;
    this.prev = new Float64Array(lanes);
  }

  private lineScopes(line: LineDesc, ports: Map<string, PortDesc>, mk: (kind: Var['kind'], name: string, lanes: number, laneWidth: number, get: (l: number) => number) => Var): Scope[] {
    const src = this.src;
    const elements = line.depth.length;
    if (line.shared) {
      // A chain: register i holds its sources from i + 1 cycles ago (column i's tap).
      const scope: Scope = { name: line.name, vars: [], scopes: [] };
      for (let i = 0; i < elements; i++) {
        for (const s of line.signals) scope.vars.push(mk('reg', `${s.source}_q${i}`, 1, s.width, () => src.portAt(s.source, 0, i + 1)));
      }
      return [scope];
    }
    const out: Scope[] = [];
    for (let e = 0; e < elements; e++) {
      const depth = line.depth[e]!;
      if (depth === 0) continue;
      const scope: Scope = { name: `${line.name}_${line.index === 'row' ? 'r' : 'c'}${e}`, vars: [], scopes: [] };
      for (let k = 1; k <= depth; k++) {
        for (const s of line.signals) {
          if (line.kind === 'deskew') {
            scope.vars.push(mk('reg', `${s.source}_${k}`, 1, s.width, () => src.srcAt(s.source, e, k)));
            continue;
          }
          const p = ports.get(s.source)!;
          const per = p.count === 1 ? 1 : p.count / elements;
          const first = p.count === 1 ? 0 : e * per;
          scope.vars.push(mk('reg', `${s.source}_${k}`, per, p.elemWidth, (l) => src.portAt(s.source, first + l, k)));
        }
      }
      out.push(scope);
    }
    return out;
  }

  private emit(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    this.sink.write(this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  private header(): void {
    const arch = this.src.arch;
    this.emit(`$date\n  ${new Date().toISOString()}\n$end\n$version\n  lbamac cycle simulator (arch v${arch.version})\n$end\n`);
    this.emit(`$comment\n  ${arch.rows}x${arch.cols} ${arch.dataflow} ${arch.sparsity} array; one clock cycle = ${VCD_PERIOD} time units\n$end\n`);
    this.emit('$timescale 1ns $end\n');
    const walk = (s: Scope) => {
      this.emit(`$scope module ${s.name} $end\n`);
      for (const v of s.vars) {
        const w = v.lanes * v.laneWidth;
        this.emit(`$var ${v.kind} ${w} ${v.id} ${v.name}${w > 1 ? ` [${w - 1}:0]` : ''} $end\n`);
      }
      for (const c of s.scopes) walk(c);
      this.emit('$upscope $end\n');
    };
    walk(this.top);
    this.emit('$enddefinitions $end\n');
  }

  private value(v: Var): string {
    if (v.lanes === 1 && v.laneWidth === 1) return `${v.get(0) & 1}${v.id}\n`;
    let s = 'b';
    for (let l = v.lanes - 1; l >= 0; l--) s += bits(v.get(l), v.laneWidth);
    return `${s} ${v.id}\n`;
  }

  /** Dumps the ports and registers of the source's current cycle. */
  sample(): void {
    const t = this.src.x * VCD_PERIOD;
    if (!this.started) {
      this.header();
      this.emit(`#${t}\n$dumpvars\n`);
    } else {
      this.emit(`#${t}\n`);
    }
    let at = 0;
    for (const v of this.vars) {
      let changed = !this.started;
      for (let l = 0; l < v.lanes; l++) {
        const x = v.id === this.clkId ? 1 : v.get(l);
        if (this.prev[at + l] !== x) changed = true;
        this.prev[at + l] = x;
      }
      if (changed) this.emit(v.id === this.clkId ? `1${v.id}\n` : this.value(v));
      at += v.lanes;
    }
    if (!this.started) this.emit('$end\n');
    this.started = true;
    this.emit(`#${t + VCD_PERIOD / 2}\n0${this.clkId}\n`);
    this.prev[0] = 0;
  }

  /** Closes the dump one cycle after the last sample. */
  finish(): void {
    if (this.started) this.emit(`#${(this.src.x + 1) * VCD_PERIOD}\n`);
    this.flush();
  }
}
