// The VCD is checked by parsing it back: a well-formed header, one scope per PE and per edge
// register line with every register at its real width, well-formed value changes, and values
// that are the simulation's (the ports cycle by cycle, and a PE register against the skew rule).
import { expect } from 'chai';
import { resolveConfig } from '../../config/resolve.js';
import { buildArch } from '../../arch/build.js';
import type { Arch } from '../../arch/types.js';
import { simulate } from '../../sim/simulate.js';
import { VCD_PERIOD } from '../../sim/vcd.js';
import { randomJob } from '../../sim/stimulus.js';

interface VcdVar {
  kind: string;
  width: number;
  id: string;
  name: string;
}

interface VcdScope {
  name: string;
  vars: VcdVar[];
  scopes: VcdScope[];
}

interface ParsedVcd {
  keywords: string[];
  timescale: string;
  top: VcdScope;
  byId: Map<string, VcdVar>;
  /** Value of every id (binary string of its width) in each sampled cycle, at the rising edge. */
  atCycle: Map<string, string>[];
  clock: { t: number; v: string }[];
}

function parseVcd(text: string): ParsedVcd {
  const [head, body] = text.split('$enddefinitions $end');
  expect(body, 'no $enddefinitions').to.be.a('string');
  const tokens = head!.split(/\s+/).filter((t) => t !== '');
  const keywords: string[] = [];
  let timescale = '';
  const stack: VcdScope[] = [];
  let top: VcdScope | null = null;
  const byId = new Map<string, VcdVar>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.startsWith('$')) continue;
    keywords.push(t);
    const end = tokens.indexOf('$end', i);
    expect(end, `${t} is not closed`).to.be.greaterThan(i);
    const args = tokens.slice(i + 1, end);
    if (t === '$timescale') timescale = args.join(' ');
    else if (t === '$scope') {
      expect(args[0]).to.equal('module');
      const s: VcdScope = { name: args[1]!, vars: [], scopes: [] };
      if (stack.length === 0) {
        expect(top, 'one top scope').to.equal(null);
        top = s;
      } else stack[stack.length - 1]!.scopes.push(s);
      stack.push(s);
    } else if (t === '$upscope') stack.pop();
    else if (t === '$var') {
      const [kind, width, id, name, range] = args;
      const v: VcdVar = { kind: kind!, width: Number(width), id: id!, name: name! };
      expect(['wire', 'reg']).to.include(v.kind);
      expect(v.width).to.be.greaterThan(0);
      if (v.width > 1) expect(range).to.equal(`[${v.width - 1}:0]`);
      else expect(range).to.equal(undefined);
      expect(byId.has(v.id), `duplicate id ${v.id}`).to.equal(false);
      byId.set(v.id, v);
      stack[stack.length - 1]!.vars.push(v);
    }
    i = end;
  }
  expect(stack, 'every $scope has its $upscope').to.have.length(0);
  const state = new Map<string, string>();
  const atCycle: Map<string, string>[] = [];
  const clock: { t: number; v: string }[] = [];
  const clkId = top!.vars.find((v) => v.name === 'clk')!.id;
  let time = -1;
  const lines = body!.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const snapshot = () => {
    if (time >= 0 && time % VCD_PERIOD === 0) atCycle[time / VCD_PERIOD] = new Map(state);
  };
  for (const line of lines) {
    if (line === '$dumpvars' || line === '$end') continue;
    if (line.startsWith('#')) {
      snapshot();
      const t = Number(line.slice(1));
      expect(t, 'times increase').to.be.greaterThan(time);
      time = t;
      continue;
    }
    let id: string;
    let value: string;
    if (line.startsWith('b')) {
      const m = /^b([01]+) (\S+)$/.exec(line);
      expect(m, line).to.not.equal(null);
      value = m![1]!;
      id = m![2]!;
    } else {
      expect(line).to.match(/^[01]\S+$/);
      value = line[0]!;
      id = line.slice(1);
    }
    const v = byId.get(id);
    expect(v, `undeclared id in "${line}"`).to.not.equal(undefined);
    expect(value.length, `width of ${v!.name} in "${line}"`).to.equal(v!.width);
    state.set(id, value);
    if (id === clkId) clock.push({ t: time, v: value });
  }
  for (const v of byId.values()) expect(atCycle[0]!.has(v.id), `${v.name} has an initial value`).to.equal(true);
  return { keywords, timescale, top: top!, byId, atCycle, clock };
}

function packed(values: ArrayLike<number>, width: number): string {
  let s = '';
  for (let e = values.length - 1; e >= 0; e--) s += values[e]!.toString(2).padStart(width, '0');
  return s;
}

const CASES: Record<string, unknown>[] = [
  { rows: 3, cols: 2, dataflow: 'os', a: 'e4m3', w: 'e5m2', product: 'e5m10', acc: 'e4m7_b10', chunk: 3, total: 'fp16', pipeline: { stages: 1 } },
  { rows: 2, cols: 3, dataflow: 'ws', a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e5m7', sparsity: '2:4', chunk: 2 },
  { rows: 1, cols: 1, dataflow: 'os', a: 'e3m2', w: 'e2m1', product: 'exact', acc: 'e4m3' },
];

function check(arch: Arch, text: string, ports: Map<number, Record<string, string>>): void {
  const vcd = parseVcd(text);
  expect(vcd.keywords.slice(0, 4)).to.deep.equal(['$date', '$version', '$comment', '$timescale']);
  expect(vcd.timescale).to.equal('1ns');
  expect(vcd.top.name).to.equal(arch.top);
  // Ports at the top, with their full widths.
  expect(vcd.top.vars.map((v) => [v.name, v.width])).to.deep.equal(arch.ports.map((p) => [p.name, p.width]));
  // One scope per PE, holding exactly the PE registers at their widths.
  const pes = vcd.top.scopes.filter((s) => s.name.startsWith('pe_'));
  expect(pes.map((s) => s.name)).to.deep.equal(Array.from({ length: arch.rows * arch.cols }, (_, q) => `pe_${Math.floor(q / arch.cols)}_${q % arch.cols}`));
  for (const s of pes) expect(s.vars.map((v) => [v.kind, v.name, v.width])).to.deep.equal(arch.pe.registers.map((r) => ['reg', r.name, r.width]));
  // Edge lines: a scope per element of depth > 0 (one for a shared chain), a register per stage and
  // signal, as wide as the signal (a skew line carries one row's or column's slice of its port).
  for (const line of arch.edge) {
    const scopes = vcd.top.scopes.filter((s) => s.name === line.name || s.name.startsWith(`${line.name}_`));
    const stages = line.shared ? line.depth.length : line.depth.reduce((x, y) => x + y, 0);
    expect(scopes.length, line.name).to.equal(line.shared ? 1 : line.depth.filter((d) => d > 0).length);
    const widths = scopes.flatMap((s) => s.vars.map((v) => v.width)).sort();
    const expected = Array.from({ length: stages }, () => line.signals.map((sg) => sg.width)).flat();
    expect(widths, line.name).to.deep.equal(expected.sort());
  }
  // The clock: high at every rising edge, low half a period later.
  const cycles = ports.size;
  expect(vcd.clock).to.have.length(2 * cycles);
  vcd.clock.forEach((c, i) => expect([c.t, c.v]).to.deep.equal([(i >> 1) * VCD_PERIOD + ((i & 1) * VCD_PERIOD) / 2, i & 1 ? '0' : '1']));
  // The ports, cycle by cycle, as the trace callback saw them.
  const idOf = new Map(vcd.top.vars.map((v) => [v.name, v.id]));
  for (const [x, values] of ports) {
    for (const [name, bits] of Object.entries(values)) expect(vcd.atCycle[x]!.get(idOf.get(name)!), `${name} in cycle ${x}`).to.equal(bits);
  }
  // A register against its rule: av of PE(r, j) in cycle x is a_valid[r] from cycle x - r - j - 1.
  for (const s of pes) {
    const [r, j] = s.name.split('_').slice(1).map(Number) as [number, number];
    const av = s.vars.find((v) => v.name === 'av')!.id;
    for (let x = 0; x < cycles; x++) {
      const from = x - r - j - 1;
      const want = from < 0 ? '0' : ports.get(from)!.a_valid!.at(-1 - r)!;
      expect(vcd.atCycle[x]!.get(av), `${s.name}.av in cycle ${x}`).to.equal(want);
    }
  }
}

describe('sim: VCD', () => {
  CASES.forEach((raw, n) => {
    it(`case ${n}: ${raw.rows}×${raw.cols} ${raw.dataflow} ${raw.sparsity ?? 'dense'}: header, scopes, widths and values parse back`, () => {
      const arch = buildArch(resolveConfig(raw));
      const job = randomJob(arch, { M: arch.rows + 1, K: 2 * arch.rows + 3, N: arch.cols + 1 }, 11 + n);
      let text = '';
      const ports = new Map<number, Record<string, string>>();
      const r = simulate(arch, job, {
        vcd: { write: (t) => (text += t) },
        onCycle: (x, values) => {
          const row: Record<string, string> = {};
          for (const p of arch.ports) if (p.kind === 'signal') row[p.name] = packed(values[p.name]!, p.elemWidth);
          ports.set(x, row);
        },
      });
      expect(ports.size).to.equal(r.cycles);
      check(arch, text, ports);
    });
  });
});
