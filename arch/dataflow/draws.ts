// The random draws of a PE's stochastic roundings (docs/arithmetic.md §2, rsr; core/random-stream.ts).
// The stream is counter-based: a rounding's draw is a function of its output (i, j), its term t and
// its kind, so the PE carries i, j and t with the operands (the edge ports a_row, b_col or w_col,
// a_term or w_term) and computes the draw of each kind that rounds with rsr where the operands are,
// before any pipeline register. The draws then ride with the term through the stage registers to
// the unit that rounds, so every rounding takes the draw of its own term, however the PE is cut.
import type { DrawKind } from '../../core/random-stream.js';
import type { Expr, RegisterDesc, UnitDesc } from '../types.js';
import type { BuildContext, PeBuilder } from './context.js';

/** Width of the index words i, j and t: the stream's counter words (core/random-stream.ts). */
export const INDEX_WIDTH = 32;

/** The indices of the term a PE holds: its output's row and column, and its place in the §3 order. */
export interface TermIndex {
  i: Expr;
  j: Expr;
  t: Expr;
}

/** A stage register of a draw, as termStage's `stage` takes its values. */
interface StagedDraw {
  name: string;
  width: number;
  value: Expr;
  meaning: string;
  tag: RegisterDesc['tag'];
}

const SHORT: Record<DrawKind, string> = { product: 'dp', acc: 'da', total: 'dt' };

/** The kinds of rounding of a term that round with rsr in this PE. */
export function stochasticKinds(ctx: BuildContext): DrawKind[] {
  const r = ctx.rounding;
  return [
    ...(!ctx.fused && r.product === 'rsr' ? ['product' as const] : []),
    ...(r.acc === 'rsr' ? ['acc' as const] : []),
    ...(ctx.chunked && r.total === 'rsr' ? ['total' as const] : []),
  ];
}

/** The draws of one PE: a draw unit per stochastic kind, then the register each stage holds it in. */
export class TermDraws {
  private readonly current = new Map<DrawKind, Expr>();
  private readonly bits: number;

  constructor(pe: PeBuilder, ctx: BuildContext, index: TermIndex | null) {
    this.bits = ctx.random?.bits ?? 0;
    const kinds = stochasticKinds(ctx);
    if (kinds.length === 0) return;
    if (index === null || ctx.random === null) throw new Error('internal: a stochastic rounding without the term index or the random stream');
    for (const kind of kinds) {
      const u: UnitDesc = {
        name: `draw_${kind}`, kind: 'draw', result: `rand_${kind}`, operands: { i: index.i, j: index.j, t: index.t }, formats: {}, rounding: null, role: 'draw', draw: kind, when: null,
        meaning: `the ${ctx.random.bits}-bit draw of the term's ${kind === 'product' ? 'product' : kind === 'acc' ? 'accumulator' : 'chunk-total'} rounding: Threefry-2x32 of (t, i) under (seed${kind === 'total' ? ' complemented' : ''}, j)`,
      };
      this.current.set(kind, pe.unit(u));
    }
  }

  /** The `rand` operand of a unit that rounds kind `kind` with `mode` (none unless rsr). */
  operand(kind: DrawKind, mode: string | null): Record<string, Expr> {
    const e = this.current.get(kind);
    if (mode !== 'rsr') return {};
    if (e === undefined) throw new Error(`internal: no draw for the ${kind} rounding`);
    return { rand: e };
  }

  /** The rounding of kind `kind` is built: later stages no longer carry its draw. */
  used(kind: DrawKind): void {
    this.current.delete(kind);
  }

  /** The stage registers of a cut named after `lead` that carry the draws still to be used. */
  carried(lead: string): StagedDraw[] {
    return [...this.current].map(([kind, value]) => ({ name: `${lead}_${SHORT[kind]}`, width: this.bits, value, meaning: `the ${kind} draw of ${lead}'s term`, tag: null }));
  }

  /** After a cut: the draws are its registers (in the order of `carried`). */
  moved(registers: Expr[]): void {
    [...this.current.keys()].forEach((kind, n) => this.current.set(kind, registers[n]!));
  }
}
