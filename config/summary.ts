// A configuration in one line, for headings, tables, test titles and the comment atop a
// co-simulation harness: shape, dataflow, sparsity, then each step's format and rounding.
// ASCII only, as it also lands in Verilog comments.
import { fixedLabel } from '../core/fixed.js';
import { type AlignBits, type DotCell, dotCellOf } from '../core/lanes.js';
import type { ArrayConfig } from './resolve.js';

const DATAFLOW: Record<ArrayConfig['dataflow'], string> = { os: 'output-stationary', ws: 'weight-stationary' };

type Named = { name: string };

/** What the line names: an ArrayConfig, or an arch's shape with its formats (any object with format names). */
export type SummaryInput = Pick<ArrayConfig, 'rows' | 'cols' | 'dataflow' | 'sparsity' | 'chunk' | 'pipeline' | 'flags'> & {
  /** The fixed-point register (an arch has null without one). */
  fixed?: ArrayConfig['fixed'] | null;
  /** The rsr stream (an arch has null without one). */
  random?: ArrayConfig['random'] | null;
  a: Named;
  w: Named;
  product: Named | null;
  acc: Named;
  total: Named;
  rounding: Pick<ArrayConfig['rounding'], 'product' | 'acc' | 'total'>;
  /** The dot-product cell: a config's lanes and alignBits, or an arch's dot (which wins: an arch's
   *  lanes count A values). */
  lanes?: number;
  alignBits?: AlignBits;
  dot?: DotCell | null;
};

/** e.g. "3x2 weight-stationary, 2:4, a e4m3, w e4m3, product fp16 (rtz), acc e4m7_b10 (rtz), chunk 2 into e4m7_b10 (rtz), 1 pipeline stage" */
export function configSummary(c: SummaryInput): string {
  const r = c.rounding;
  const parts = [
    `${c.rows}x${c.cols} ${DATAFLOW[c.dataflow]}`,
    c.sparsity,
    `a ${c.a.name}`,
    `w ${c.w.name}`,
    c.product === null ? 'exact product' : `product ${c.product.name} (${r.product})`,
    `acc ${c.fixed == null ? c.acc.name : fixedLabel(c.fixed, c.acc)} (${r.acc})`,
  ];
  const cell = c.dot !== undefined ? c.dot : dotCellOf(c);
  if (cell !== null) parts.push(`${cell.lanes} lane${cell.lanes === 1 ? '' : 's'}, alignBits ${cell.alignBits}`);
  if (c.chunk !== null) parts.push(`chunk ${c.chunk} into ${c.total.name} (${r.total})`);
  if (c.random) parts.push(`rsr ${c.random.bits} random bits, seed ${c.random.seed}`);
  const stages = c.pipeline?.stages ?? 0;
  if (stages > 0) parts.push(`${stages} pipeline stage${stages === 1 ? '' : 's'}`);
  if (c.flags) parts.push('sticky flags');
  return parts.join(', ');
}
