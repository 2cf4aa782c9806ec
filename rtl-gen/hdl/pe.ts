// The processing element: the registers arch.pe.registers lists, with the next-state rules their
// `next` fields state, around the arithmetic units of arch.pe.units (selector, multiplier and
// accumulator adder or the fused cell, chunk-total adder). sim/simulate.ts's stepOS/stepWS is the
// same machine, one PE at a time.
import type { Format } from '../../core/format.js';
import { formatOf, IDX_WIDTH } from '../../arch/build.js';
import type { Arch, RegisterDesc } from '../../arch/types.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { lit } from '../back/verilog.js';
import { addModule } from '../lib/add.js';
import { fmaModule } from '../lib/fma.js';
import { mulModule } from '../lib/mul.js';
import { selectorModule } from './selector.js';

/** The PE's module name parts: everything that changes its Verilog (not the array shape, not the chunk size). */
export function peNameParts(arch: Arch): string[] {
  const f = arch.formats;
  const parts = [arch.dataflow, arch.sparsity === '2:4' ? 's24' : 'dense', f.a.name, f.w.name];
  parts.push(...(f.product === null ? ['exact'] : [f.product.name, arch.rounding.product]));
  parts.push('acc', f.acc.name, arch.rounding.acc);
  if (f.total !== null) parts.push('total', f.total.name, arch.rounding.total);
  if (arch.pipeline.multiplier) parts.push('p1');
  return parts;
}

/** A sequential block with synchronous reset of `regs` to 0 and the given next-state lines. */
export function clocked(b: Body, regs: readonly { name: string; width: number }[], next: readonly string[]): void {
  const w = Math.max(...regs.map((r) => r.name.length));
  b.line('always @(posedge clk) begin');
  b.line('  if (rst) begin');
  for (const r of regs) b.line(`    ${r.name.padEnd(w)} <= ${r.width === 1 ? "1'b0" : lit(r.width, 0)};`);
  b.line('  end else begin');
  for (const l of next) b.line(`    ${l}`);
  b.line('  end');
  b.line('end');
}

/** Aligns `name <= expr;` lines on the arrow. */
function assigns(rows: readonly [string, string][]): string[] {
  const w = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, e]) => `${n.padEnd(w)} <= ${e};`);
}

export interface PeSignals {
  /** Registers the neighbours read, in port order. */
  outputs: RegisterDesc[];
  /** Input ports (besides clk, rst), in order, with the register or role they feed. */
  inputs: Port[];
}

/** Input and output ports of the PE of this arch (the grid wires them). */
export function peSignals(arch: Arch): PeSignals {
  const ws = arch.dataflow === 'ws';
  const regs = arch.pe.registers;
  const reg = (name: string) => regs.find((r) => r.name === name);
  const has = (name: string) => reg(name) !== undefined;
  const outNames = ws ? ['a', 'av', 'w', 'wi', 'wv', 'wcl', 's', 'st', 'sv'] : ['a', 'av', 'acl', 'b', 'bi', 'bv', arch.chunk !== null ? 'total' : 'acc'];
  const outputs = outNames.filter(has).map((n) => reg(n)!);
  const inputs: Port[] = [];
  const input = (name: string, width: number, comment: string) => inputs.push({ dir: 'input', name, width, comment });
  input('a_in', arch.lanes * arch.formats.a.width, 'a of the PE to the left (the row\'s skew line in column 0)');
  input('av_in', 1, 'av of the PE to the left');
  if (!ws) {
    if (has('acl')) input('acl_in', 1, 'acl of the PE to the left');
    input('b_in', arch.formats.w.width, 'b of the PE above (the column\'s skew line in row 0)');
    if (has('bi')) input('bi_in', IDX_WIDTH, 'bi of the PE above');
    input('bv_in', 1, 'bv of the PE above');
    input('shift', 1, 'the column\'s output chain shifts this cycle');
    const chain = arch.chunk !== null ? 'total' : 'acc';
    input(`${chain}_in`, arch.formats.out.width, `${chain} of the PE below (C from the skew line in the bottom row)`);
  } else {
    input('shift', 1, 'the column\'s weight chain shifts this cycle');
    input('w_in', arch.formats.w.width, 'w of the PE below (the column\'s skew line in the bottom row)');
    if (has('wi')) input('wi_in', IDX_WIDTH, 'wi of the PE below');
    input('wv_in', 1, 'wv of the PE below');
    if (has('wcl')) input('wcl_in', 1, 'wcl of the PE below');
    input('s_in', arch.formats.acc.width, 's of the PE above (the column\'s skew line in row 0)');
    if (has('st')) input('st_in', arch.formats.total!.width, 'st of the PE above');
    input('sv_in', 1, 'sv of the PE above');
  }
  return { outputs, inputs };
}

/** lbamac_pe_<parameters>: one PE of the array arch describes. */
export function peModule(arch: Arch, config: readonly [string, string][]): VModule {
  const ws = arch.dataflow === 'ws';
  const sparse = arch.sparsity === '2:4';
  const chunked = arch.chunk !== null;
  const P = arch.pipeline.multiplier;
  const fa: Format = formatOf(arch.formats.a);
  const fw: Format = formatOf(arch.formats.w);
  const fp: Format | null = arch.formats.product === null ? null : formatOf(arch.formats.product);
  const facc: Format = formatOf(arch.formats.acc);
  const ftot: Format | null = arch.formats.total === null ? null : formatOf(arch.formats.total);
  const regs = arch.pe.registers;
  const byName = new Map(regs.map((r) => [r.name, r]));
  const emitted = new Set<string>();
  const R = (name: string): { name: string; width: number } => {
    const r = byName.get(name);
    if (!r) throw new Error(`internal: the ${arch.dataflow} arch has no PE register "${name}"`);
    emitted.add(name);
    return { name, width: r.width };
  };
  const { outputs, inputs } = peSignals(arch);
  const outSet = new Set(outputs.map((r) => r.name));
  const weight = ws ? 'w' : 'b';
  const index = ws ? 'wi' : 'bi';
  const closeReg = ws ? 'wcl' : 'acl';
  const deps: VModule[] = [];
  const b = new Body();

  const internal = regs.filter((r) => !outSet.has(r.name));
  if (internal.length > 0) {
    b.comment('Registers the neighbours do not read (see arch/build.ts for each one\'s rule).');
    for (const r of internal) b.decl(`reg ${r.width > 1 ? `[${r.width - 1}:0]` : ''}`.trimEnd(), r.name, undefined, r.meaning);
    b.blank();
  }

  // Operand paths.
  b.comment(ws ? 'A moves right one PE per cycle.' : 'A moves right and B moves down, one PE per cycle.');
  if (!ws) {
    clocked(b, [R('a'), R('av'), ...(chunked ? [R('acl')] : []), R('b'), ...(sparse ? [R('bi')] : []), R('bv')], assigns([
      ['a', 'a_in'],
      ['av', 'av_in'],
      ...(chunked ? ([['acl', 'acl_in']] as [string, string][]) : []),
      ['b', 'b_in'],
      ...(sparse ? ([['bi', 'bi_in']] as [string, string][]) : []),
      ['bv', 'bv_in'],
    ]));
  } else {
    clocked(b, [R('a'), R('av')], assigns([
      ['a', 'a_in'],
      ['av', 'av_in'],
    ]));
    b.blank().comment('The weight stays put except while its column shifts: then it moves up one PE.');
    const wRegs = ['w', ...(sparse ? ['wi'] : []), 'wv', ...(chunked ? ['wcl'] : [])];
    clocked(b, wRegs.map(R), ['if (shift) begin', ...assigns(wRegs.map((n) => [n, `${n}_in`])).map((l) => `  ${l}`), 'end']);
  }

  // Multiply stage.
  b.blank().comment(`Multiply stage: a term is present when both the row side (av) and the ${ws ? 'weight (wv)' : 'column side (bv)'} carry one.`);
  const mulEn = P ? 'mul_en' : 'term_en';
  b.wire(1, mulEn, `av & ${ws ? 'wv' : 'bv'}`);
  let x = 'a';
  if (sparse) {
    const sel = selectorModule(fa.width);
    deps.push(sel);
    b.blank().comment(`2:4: the A value of the slot the weight kept (${index} picks one of the 4 lanes of a).`);
    b.wire(fa.width, 'a_kept');
    b.instance(sel.name, 'selector', [['group', 'a'], ['index', index], ['value', 'a_kept']]);
    x = 'a_kept';
  }
  b.blank().comment(
    'Every unit also reports SPEC events on a flags output; the array has no event ports, so the',
    'flags are left open on purpose (lint waiver until the end of the units).',
  );
  b.line('/* verilator lint_off PINCONNECTEMPTY */');
  const accIn = ws ? 's_in' : 'acc';
  let termExpr: string;
  if (fp === null) {
    const fma = fmaModule(fa, fw, facc, facc, arch.rounding.acc);
    deps.push(fma);
    b.blank().comment(
      `Fused multiply-add: ${accIn} + ${x} * ${weight} with the product exact and one rounding into`,
      `${facc.name} (${arch.rounding.acc}).`,
    );
    b.wire(facc.width, 'sum');
    b.instance(fma.name, 'fma', [['a', x], ['b', weight], ['c', accIn], ['result', 'sum'], ['flags', '']]);
    termExpr = `${x} * ${weight}`;
  } else {
    const mul = mulModule(fa, fw, fp, arch.rounding.product);
    deps.push(mul);
    b.blank().comment(`${x} * ${weight} rounded once into the product format ${fp.name} (${arch.rounding.product}).`);
    b.wire(fp.width, 'product');
    b.instance(mul.name, 'multiplier', [['a', x], ['b', weight], ['product', 'product'], ['flags', '']]);
    termExpr = 'product';
  }

  let addEn = mulEn;
  let close = closeReg;
  if (P) {
    b.blank().comment(
      'Multiplier pipeline register: p holds the last rounded product until the next term, so the',
      'add stage works one cycle behind the multiply stage (arch timing.mulToAdd = 1).',
    );
    clocked(b, [R('p'), R('pv'), ...(chunked ? [R('pcl')] : [])], [
      'if (mul_en) p <= product;',
      ...assigns([
        ['pv', 'mul_en'],
        ...(chunked ? ([['pcl', `mul_en & ${closeReg}`]] as [string, string][]) : []),
      ]),
    ]);
    addEn = 'pv';
    close = 'pcl';
    termExpr = 'p';
  }

  if (fp !== null) {
    const add = addModule(facc, fp, facc, arch.rounding.acc);
    deps.push(add);
    b.blank().comment(`Add stage: ${accIn} + ${termExpr} rounded once into the accumulator format ${facc.name} (${arch.rounding.acc}).`);
    b.wire(facc.width, 'sum');
    b.instance(add.name, 'acc_adder', [['x', accIn], ['y', termExpr], ['sum', 'sum'], ['flags', '']]);
  }
  const totalIn = ws ? 'st_in' : 'total';
  if (ftot !== null) {
    const add = addModule(ftot, facc, ftot, arch.rounding.total);
    deps.push(add);
    b.blank().comment(
      `Chunk close: the chunk's last term goes through the accumulator adder first (sum, rounded`,
      `into ${facc.name}), then sum is added into the chunk total in the same cycle, rounded again into`,
      `${ftot.name} (${arch.rounding.total}); the two adders are in series.`,
    );
    b.wire(ftot.width, 'total_sum');
    b.instance(add.name, 'total_adder', [['x', totalIn], ['y', 'sum'], ['sum', 'total_sum'], ['flags', '']]);
  }
  b.line('/* verilator lint_on PINCONNECTEMPTY */');

  // Accumulate stage.
  const zero = (w: number) => lit(w, 0);
  if (!ws) {
    if (!chunked) {
      b.blank().comment(
        'The accumulator adds a term when one is present; while the column shifts, acc is instead a',
        'stage of the output chain (C in from below, D out at the top). The schedule never does both.',
      );
      clocked(b, [R('acc')], ['if (shift)', '  acc <= acc_in;', `else if (${addEn})`, '  acc <= sum;']);
    } else {
      b.blank().comment(
        'acc accumulates the current chunk and restarts at +0 after its last term (+0 is code 0).',
        'total collects the closed chunks; while the column shifts it is a stage of the output chain.',
      );
      clocked(b, [R('acc'), R('total')], [
        `if (${addEn}) acc <= ${close} ? ${zero(facc.width)} : sum;`,
        'if (shift)',
        '  total <= total_in;',
        `else if (${addEn} & ${close})`,
        '  total <= total_sum;',
      ]);
    }
  } else {
    b.blank().comment(
      'The partial sum moves down one PE per cycle; a PE with a term adds it on the way.',
      ...(chunked ? ['At a chunk close, s restarts at +0 (code 0) and st takes the chunk total.'] : []),
    );
    const next: [string, string][] = [];
    if (!chunked) next.push(['s', `${addEn} ? sum : s_in`]);
    else {
      next.push(['s', `${addEn} ? (${close} ? ${zero(facc.width)} : sum) : s_in`]);
      next.push(['st', `(${addEn} & ${close}) ? total_sum : st_in`]);
    }
    next.push(['sv', 'sv_in']);
    clocked(b, [R('s'), ...(chunked ? [R('st')] : []), R('sv')], assigns(next));
  }

  const missing = regs.filter((r) => !emitted.has(r.name)).map((r) => r.name);
  if (missing.length > 0) throw new Error(`internal: the PE generator has no rule for register(s) ${missing.join(', ')}`);

  const ports: Port[] = [
    { dir: 'input', name: 'clk', width: 1 },
    { dir: 'input', name: 'rst', width: 1, comment: 'synchronous, active high: every register to 0' },
    ...inputs,
    ...outputs.map((r): Port => ({ dir: 'output', name: r.name, width: r.width, reg: true, comment: r.meaning })),
  ];
  const units = arch.pe.units.map((u) => u.name).join(', ');
  return makeModule({
    kind: 'pe',
    nameParts: peNameParts(arch),
    summary: [
      `One processing element of the ${ws ? 'weight' : 'output'}-stationary array: units ${units}.`,
      `A term ${termExpr === 'p' ? 'is multiplied in one cycle and added in the next' : 'is multiplied and added in the same cycle'};`,
      'registers and rules as arch/build.ts describes them (docs/rtl.md).',
    ],
    config: config,
    source: 'rtl-gen/hdl/pe.ts',
    ports,
    body: b,
    deps,
  });
}
