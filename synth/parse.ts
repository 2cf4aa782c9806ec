// Reading what Yosys reports: `stat -json` (cells by type) and `ltp` (the longest path).
import { CATEGORIES, type Category, type TargetSpec } from './targets.js';

export interface Resources {
  /** Mapped cells per category (see targets.ts); zero where the target has none. */
  counts: Record<Category, number>;
  /** Cell types that fit no category, with their counts (normally empty). */
  other: Record<string, number>;
  /** Every cell type and its count, as Yosys reported it. */
  byType: Record<string, number>;
  /** Bits of the top module's ports (what --pnr must fit onto I/O pins). */
  portBits: number;
}

interface StatModule {
  num_cells_by_type?: Record<string, number>;
  num_port_bits?: number;
}

/** Cell types Yosys adds for bookkeeping (names of flattened instances), never hardware. */
const BOOKKEEPING = /^\$scopeinfo$/;

/** Parses `stat -json` for the module `top` and groups its cells by the target's categories. */
export function parseStat(json: string, top: string, spec: TargetSpec): Resources {
  let parsed: { modules?: Record<string, StatModule> };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch (e) {
    throw new Error(`yosys stat -json output is not JSON: ${(e as Error).message}`);
  }
  const mod = parsed.modules?.[`\\${top}`] ?? parsed.modules?.[top];
  if (!mod) throw new Error(`yosys stat -json has no module ${top} (modules: ${Object.keys(parsed.modules ?? {}).map((m) => m.replace(/^\\/, '')).join(', ')})`);
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const other: Record<string, number> = {};
  const byType: Record<string, number> = {};
  for (const [type, n] of Object.entries(mod.num_cells_by_type ?? {})) {
    if (BOOKKEEPING.test(type)) continue;
    byType[type] = n;
    const hit = spec.categories.find(([, re]) => re.test(type));
    if (hit) counts[hit[0]] += n;
    else other[type] = (other[type] ?? 0) + n;
  }
  return { counts, other, byType, portBits: mod.num_port_bits ?? 0 };
}

/** The headline area of a target: the weighted sum of its area categories. */
export function headlineArea(r: Resources, spec: TargetSpec): number {
  return Object.entries(spec.area.weights).reduce((s, [c, w]) => s + r.counts[c as Category] * w, 0);
}

/**
 * The length of the longest path that `ltp -noff` found: cells from an input port or flip-flop
 * output to an output port or flip-flop input. Null when the design has a combinational loop
 * (ltp then reports one, and the length means nothing).
 */
export function parseLtp(text: string): number | null {
  if (/Detected loop/i.test(text)) return null;
  const m = /Longest topological path in \S+ \(length=(\d+)\)/.exec(text);
  if (m) return Number(m[1]);
  // A module without combinational cells: ltp prints no path at all.
  if (/Executing LTP pass/.test(text)) return 0;
  throw new Error(`no longest-path line in the ltp output:\n${text.slice(0, 2000)}`);
}
