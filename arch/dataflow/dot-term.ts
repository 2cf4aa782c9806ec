// The term logic of a dot-product cell (docs/arithmetic.md §3, "Dot-product cells"): each step
// takes G terms, lane j of the A register (2:4: the A value its weight lane kept, picked by a
// selector out of that lane's group of 4) times lane j of the weight register. Rounded products: G
// multipliers, then one adder of the accumulator and the G products (rtl-gen/lib/dot-add.ts
// dotAddModule); fused: the exact products inside that adder (dotFmaModule). One rounding per step.
// One pipeline stage (rounded products only) registers the G products before the adder.
import { and, concat, lanes } from '../ir.js';
import type { Expr } from '../types.js';
import { type BuildContext, IDX_WIDTH, type PeBuilder, type TermSources, type TermStage } from './context.js';

/** The first A lane of the 2:4 group weight lane j selects from: a step of G >= 2 terms spans G/2
 *  groups, two kept slots each; one lane takes its group whole. */
export function groupLane(j: number): number {
  return 4 * (j >> 1);
}

export function dotTermStage(pe: PeBuilder, ctx: BuildContext, s: TermSources): TermStage {
  const f = ctx.formats;
  const cell = ctx.dot!;
  const G = cell.lanes;
  const aW = f.a.width;
  const wW = f.w.width;
  const cut = ctx.pipeline.cuts.includes('after-mul');
  if (ctx.pipeline.cuts.some((c) => c !== 'after-mul') || (cut && ctx.fused)) throw new Error(`internal: a dot-product cell with the cuts ${ctx.pipeline.cuts.join(', ')}`);
  const mulEn = pe.wire(cut ? 'mul_en' : 'add_en', 1, and(s.av, s.wv), 'a step is present: both the row side and the weight side carry one');
  let addEn = mulEn;
  let close = s.close;
  const w = (j: number): Expr => lanes(s.w, G, j, 1, wW);
  let x: Expr[];
  if (ctx.sparse) {
    x = Array.from({ length: G }, (_, j) =>
      pe.unit({
        name: `selector${j}`, kind: 'selector', result: `a_kept${j}`, operands: { group: lanes(s.a, ctx.lanes, groupLane(j), 4, aW), index: lanes(s.wi!, G, j, 1, IDX_WIDTH) }, formats: { out: 'a' }, rounding: null, role: 'select', when: null,
        meaning: `2:4: the A value of the slot weight lane ${j} kept (4:1 mux over lanes ${groupLane(j)}..${groupLane(j) + 3} of a)`,
      }),
    );
  } else x = Array.from({ length: G }, (_, j) => lanes(s.a, G, j, 1, aW));
  let sum: Expr;
  if (ctx.fused) {
    sum = pe.unit({
      name: 'dot', kind: 'dot', result: 'sum', operands: { acc: s.acc, a: ctx.sparse ? concat(x, aW) : s.a, w: s.w }, formats: { acc: 'acc', a: 'a', w: 'w', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn, dot: cell,
      meaning: `acc + the ${G} exact products x_j*w_j, each term truncated to a ${JSON.stringify(cell.alignBits)}-bit window below the largest, one rounding into the accumulator format`,
    });
  } else {
    const pW = f.product!.width;
    let p = concat(
      x.map((xj, j) =>
        pe.unit({
          name: `multiplier${j}`, kind: 'mul', result: `product${j}`, operands: { a: xj, b: w(j) }, formats: { a: 'a', b: 'w', out: 'product' }, rounding: ctx.rounding.product, role: 'product', when: mulEn,
          meaning: `lane ${j}: x*w rounded once into the product format`,
        }),
      ),
      pW,
    );
    if (cut) {
      p = pe.register('p', pW, G, 'product', `the ${G} registered products (pipeline cut after the multipliers)`, mulEn, p, 'output');
      addEn = pe.register('pv', 1, 1, 'product', 'p holds a step', null, mulEn);
      if (s.close) close = pe.register('pcl', 1, 1, 'product', 'p\'s step closes a chunk', null, and(mulEn, s.close));
    }
    sum = pe.unit({
      name: 'dot', kind: 'dot', result: 'sum', operands: { acc: s.acc, p }, formats: { acc: 'acc', p: 'product', out: 'acc' }, rounding: ctx.rounding.acc, role: 'term', when: addEn, dot: cell,
      meaning: `acc + the ${G} products, each term truncated to a ${JSON.stringify(cell.alignBits)}-bit window below the largest, one rounding into the accumulator format`,
    });
  }
  let totalSum: Expr | null = null;
  if (ctx.chunked) {
    totalSum = pe.unit({
      name: 'total_adder', kind: 'add', result: 'total_sum', operands: { x: s.total!, y: sum }, formats: { x: 'total', y: 'acc', out: 'total' }, rounding: ctx.rounding.total, role: 'total', when: and(addEn, close!),
      meaning: 'at a chunk close: total + sum (the chunk with its last step) rounded into the chunk-total format; in series after the dot-product adder',
    });
  }
  return { addEn, close, sum, totalSum, acc: s.acc, total: s.total, last: null, rounded: null };
}
