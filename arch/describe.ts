// The architecture description as text, for `lbamac describe` and docs/architecture.md: the PE's
// inputs, signals, units and registers with their rules, the edge lines and the output ports.
import { fixedLabel } from '../core/fixed.js';
import { exprText, registerRule, topExprText, unitRule } from './ir.js';
import type { Arch } from './types.js';

export function describeArch(arch: Arch): string {
  const f = arch.formats;
  const out: string[] = [];
  const cell = arch.dot === null ? '' : `, dot-product cell of ${arch.dot.lanes} lane${arch.dot.lanes === 1 ? '' : 's'} (alignBits ${arch.dot.alignBits})`;
  const head = `${arch.rows} x ${arch.cols} ${arch.dataflow.toUpperCase()} array, ${arch.sparsity}${cell}${arch.chunk !== null ? `, chunk ${arch.chunk}` : ''}${arch.pipeline.stages ? `, ${arch.pipeline.stages} pipeline stage${arch.pipeline.stages === 1 ? '' : 's'}` : ''}`;
  out.push(head);
  const fx = arch.fixed;
  const acc = fx === null ? f.acc.name : `${fixedLabel(fx, f.out)} (a ${fx.stateWidth}-bit state: ${fx.width}-bit register, zero sign, special; C onto it ${fx.input})`;
  out.push(`formats: a ${f.a.name}, w ${f.w.name}, product ${f.product?.name ?? 'exact (fused)'}, acc ${acc}${f.total ? `, total ${f.total.name}` : ''}, out ${f.out.name}`);
  out.push('', 'PE inputs (element of the edge line on the array\'s edge):');
  for (const i of arch.pe.inputs) {
    const src = i.from === null ? `${i.edge.line}.${i.edge.signal}[j] (every PE of column j)` : `${i.register}@${i.from}, edge ${i.edge.line}.${i.edge.signal}[${i.from === 'left' ? 'r' : 'j'}]`;
    out.push(`  ${i.name.padEnd(9)} ${String(i.width).padStart(3)} ${i.width === 1 ? 'bit ' : 'bits'}  ${src}`);
  }
  if (arch.pe.wires.length > 0) {
    out.push('', 'PE signals:');
    for (const w of arch.pe.wires) out.push(`  ${w.name} = ${exprText(w.expr)}`);
  }
  out.push('', 'PE units:');
  for (const u of arch.pe.units) out.push(`  ${u.name.padEnd(12)} ${unitRule(u, arch)}`);
  out.push('', 'PE registers (reset 0; width; rule):');
  const w = Math.max(...arch.pe.registers.map((r) => r.name.length));
  for (const r of arch.pe.registers) out.push(`  ${r.name.padEnd(w)} ${String(r.width).padStart(3)}  ${registerRule(r)}${r.tag ? `   [carries the ${r.tag}]` : ''}`);
  out.push('', 'Edge lines (depth per element):');
  for (const l of arch.edge) out.push(`  ${l.name.padEnd(9)} ${l.kind} by ${l.index}${l.shared ? ' (shared chain)' : ''}: ${l.signals.map((s) => s.source).join(', ')}; depths ${l.depth.join(', ')}`);
  out.push('', 'Output ports:');
  for (const o of arch.outputs) out.push(`  ${o.port} = ${topExprText(o.expr)}`);
  return out.join('\n') + '\n';
}
