// The processing element, emitted by walking arch.pe: its inputs, named signals, unit instances
// (arch/units.ts gives each its module) and registers with their enables and next-state rules.
// Nothing here knows a dataflow: the simulator compiles the same description (sim/compile.ts).
import { type Arch, type Expr, FLAG_NAMES, FLAG_WIDTH, type RegisterDesc } from '../../arch/types.js';
import { UNIT_KINDS } from '../../arch/units.js';
import { registerRule, walk } from '../../arch/ir.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { hex, lit } from '../back/verilog.js';
import { fixedNameParts } from '../lib/fixed-add.js';

/** The PE's module name parts: everything that changes its Verilog (not the array shape, not the chunk size). */
export function peNameParts(arch: Arch): string[] {
  const f = arch.formats;
  const parts = [arch.dataflow, arch.sparsity === '2:4' ? 's24' : 'dense', f.a.name, f.w.name];
  parts.push(...(f.product === null ? ['exact'] : [f.product.name, arch.rounding.product]));
  parts.push('acc', f.acc.name, arch.rounding.acc);
  // A fixed-point register: its bits, its overflow rule and the mode C takes onto its grid.
  if (arch.fixed !== null) parts.push('fixed', ...fixedNameParts(arch.fixed), arch.fixed.input);
  if (f.total !== null) parts.push('total', f.total.name, arch.rounding.total);
  // The draw units' Verilog holds R and the seed.
  if (arch.random !== null) parts.push(`r${arch.random.bits}`, `s${arch.random.seed.toString(16).padStart(8, '0')}`);
  if (arch.pipeline.stages) parts.push(`p${arch.pipeline.stages}`);
  if (arch.flags) parts.push('flags');
  return parts;
}

/** The registers a neighbour or the top reads: the PE's output ports, in register order. */
export function peOutputs(arch: Arch): RegisterDesc[] {
  const read = new Set<string>();
  for (const i of arch.pe.inputs) if (i.register !== null) read.add(i.register);
  for (const line of arch.edge) if (line.kind === 'deskew') for (const s of line.signals) read.add(s.source);
  const visit = (e: Arch['outputs'][number]['expr']): void => {
    if (e.op === 'pe') read.add(e.register);
    else if (e.op === 'and') e.args.forEach(visit);
  };
  for (const o of arch.outputs) {
    visit(o.expr);
    if (o.expr.op === 'all') read.add(o.expr.register);
  }
  return arch.pe.registers.filter((r) => read.has(r.name));
}

/** Verilog of an expression; `unit` reads the unit's result wire. */
export function verilogExpr(arch: Arch, e: Expr, top = true): string {
  const paren = (s: string) => (top ? s : `(${s})`);
  switch (e.op) {
    case 'reg':
    case 'in':
    case 'wire':
      return e.name;
    case 'unit':
      return arch.pe.units.find((u) => u.name === e.name)!.result;
    case 'zero':
      return lit(e.width, 0);
    case 'const':
      return hex(e.width, e.value);
    case 'status':
      return `${e.unit}_status`;
    case 'and':
      return paren(e.args.map((a) => verilogExpr(arch, a, false)).join(' & '));
    case 'or':
      return paren(e.args.map((a) => verilogExpr(arch, a, false)).join(' | '));
    case 'mux':
      return paren(`${verilogExpr(arch, e.sel, false)} ? ${verilogExpr(arch, e.then, false)} : ${verilogExpr(arch, e.else, false)}`);
    case 'lanes': {
      // Verilog slices names only: the description takes lanes of registers and inputs.
      if (e.of.op !== 'reg' && e.of.op !== 'in') throw new Error(`internal: lanes of a ${e.of.op} expression`);
      const lo = e.first * e.width;
      const hi = lo + e.count * e.width - 1;
      return hi === lo ? `${e.of.name}[${lo}]` : `${e.of.name}[${hi}:${lo}]`;
    }
    case 'concat':
      // Lane 0 in the least significant bits: the last part of the concatenation.
      return `{${[...e.args].reverse().map((a) => verilogExpr(arch, a)).join(', ')}}`;
  }
}

/** lbamac_pe_<parameters>: one PE of the array arch describes. */
export function peModule(arch: Arch, config: readonly [string, string][]): VModule {
  const pe = arch.pe;
  const outputs = peOutputs(arch);
  const outSet = new Set(outputs.map((r) => r.name));
  const deps: VModule[] = [];
  const b = new Body();

  const internal = pe.registers.filter((r) => !outSet.has(r.name));
  // Registers that only a unit's swamping test reads (a cut adder's delayed term): the simulator
  // counts swamping events from them always, the hardware only with sticky flags, and then not
  // every bit (the sign does not matter).
  const logicReads = new Set<string>();
  for (const e of [...pe.wires.map((w) => w.expr), ...pe.registers.flatMap((r) => [r.next, ...(r.enable ? [r.enable] : [])])]) for (const x of walk(e)) if (x.op === 'reg') logicReads.add(x.name);
  for (const u of pe.units) for (const role of Object.keys(UNIT_KINDS[u.kind].verilog(u, arch).inputs)) for (const x of walk(u.operands[role]!)) if (x.op === 'reg') logicReads.add(x.name);
  if (internal.length > 0) {
    b.comment('Registers no neighbour reads.');
    for (const r of internal) {
      const swampOnly = !logicReads.has(r.name);
      if (swampOnly) b.line('/* verilator lint_off UNUSEDSIGNAL */');
      b.decl(`reg ${r.width > 1 ? `[${r.width - 1}:0]` : ''}`.trimEnd(), r.name, undefined, r.meaning + (swampOnly ? ' (read by the swamping flag alone)' : ''));
      if (swampOnly) b.line('/* verilator lint_on UNUSEDSIGNAL */');
    }
    b.blank();
  }
  if (pe.wires.length > 0) {
    for (const w of pe.wires) b.wire(w.width, w.name, verilogExpr(arch, w.expr), w.meaning);
    b.blank();
  }

  b.comment(
    'The units. Each also reports status flags (docs/arithmetic.md section 5); the array has no flag ports, so the flags',
    'outputs are left open on purpose (lint waiver until the end of the units).',
  );
  b.line('/* verilator lint_off PINCONNECTEMPTY */');
  // Units whose status a register reads (the sticky flags) get their flags output wired.
  const statusRead = new Set<string>();
  for (const r of pe.registers) for (const x of [r.next, ...(r.enable ? [r.enable] : [])]) for (const y of walk(x)) if (y.op === 'status') statusRead.add(y.unit);
  for (const u of pe.units) {
    const kind = UNIT_KINDS[u.kind];
    const v = kind.verilog(u, arch);
    deps.push(v.module);
    b.blank().comment(`${u.name}: ${u.meaning}${u.rounding ? ` (${u.rounding})` : ''}.`);
    b.wire(v.module.ports.find((p) => p.name === v.result)!.width, u.result);
    const conns: [string, string][] = Object.entries(v.inputs).map(([role, port]) => [port, verilogExpr(arch, u.operands[role]!)]);
    conns.push([v.result, u.result]);
    const wired = statusRead.has(u.name) && v.flags !== null;
    if (wired) {
      // Bit 3 (the result is a zero) adds nothing to the status: a zero from a nonzero is tiny.
      b.line('/* verilator lint_off UNUSEDSIGNAL */');
      b.wire(FLAG_WIDTH, `${u.name}_flags`);
      b.line('/* verilator lint_on UNUSEDSIGNAL */');
    }
    if (v.flags !== null) conns.push([v.flags, wired ? `${u.name}_flags` : '']);
    if (v.swamped !== undefined) {
      // The count of products lost in alignment: its swamping flag reads it (more than one lane).
      const used = wired && u.dot !== undefined && u.dot.lanes > 1;
      if (used) b.wire(v.module.ports.find((p) => p.name === v.swamped)!.width, `${u.name}_swamped`);
      conns.push([v.swamped, used ? `${u.name}_swamped` : '']);
    }
    if (v.swamp !== undefined) {
      if (wired) b.wire(1, `${u.name}_swamp`);
      conns.push([v.swamp, wired ? `${u.name}_swamp` : '']);
    }
    b.instance(v.module.name, u.name, conns);
    if (wired) {
      const f = `${u.name}_flags`;
      const swamp = v.swamp !== undefined ? `${u.name}_swamp` : kind.swampVerilog === null ? "1'b0" : kind.swampVerilog(u, arch, u.result, (role) => verilogExpr(arch, u.operands[role]!, false));
      // The flags port is core/arith.ts's EV_* bits; the status is FLAG_NAMES' order.
      b.wire(FLAG_WIDTH, `${u.name}_status`, `{${swamp}, ${f}[4], ${f}[2] & ${f}[0], ${f}[1], ${f}[0]}`, FLAG_NAMES.join(', ') + ', bit 0 first');
    }
  }
  b.line('/* verilator lint_on PINCONNECTEMPTY */');

  b.blank().comment('The registers (arch/build.ts states each rule; `lbamac describe` prints them).');
  const w = Math.max(...pe.registers.map((r) => r.name.length));
  b.line('always @(posedge clk) begin');
  b.line('  if (rst) begin');
  for (const r of pe.registers) b.line(`    ${r.name.padEnd(w)} <= ${r.width === 1 ? "1'b0" : lit(r.width, 0)};`);
  b.line('  end else begin');
  for (const r of pe.registers) {
    const next = `${r.name} <= ${verilogExpr(arch, r.next)};`;
    b.line(r.enable === null ? `    ${next}` : `    if (${verilogExpr(arch, r.enable)}) ${next}`);
  }
  b.line('  end');
  b.line('end');

  const ports: Port[] = [
    { dir: 'input', name: 'clk', width: 1 },
    { dir: 'input', name: 'rst', width: 1, comment: 'synchronous, active high: every register to 0' },
    ...pe.inputs.map((i): Port => ({ dir: 'input', name: i.name, width: i.width, comment: i.meaning })),
    ...outputs.map((r): Port => ({ dir: 'output', name: r.name, width: r.width, reg: true, comment: r.meaning })),
  ];
  return makeModule({
    kind: 'pe',
    nameParts: peNameParts(arch),
    summary: [
      `One processing element of the ${arch.dataflow === 'ws' ? 'weight' : 'output'}-stationary array: units ${pe.units.map((u) => u.name).join(', ')}.`,
      ...pe.registers.map(registerRule),
    ],
    config,
    source: 'rtl-gen/hdl/pe.ts',
    ports,
    body: b,
    deps,
  });
}
