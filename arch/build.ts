// From an ArrayConfig to the architecture description (arch/types.ts). Everything the simulator
// and the RTL generator need to agree on is decided here, once.
import { LbamacError } from '../core/errors.js';
import { exactProductFormat, UNIT_FORMAT } from '../core/exact-product.js';
import { dotCellOf, laneMessages } from '../core/lanes.js';
import { fixedMessages } from '../core/fixed.js';
import { oddSumFormat } from '../core/odd-sum.js';
import { rsrMessages } from '../core/random-stream.js';
import { MAX_STAGES } from '../config/schema.js';
import { type Format, formatSpecOf, INTERNAL_LIMITS, makeFormat } from '../core/format.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import type { BuildContext, DataflowBuilder } from './dataflow/context.js';
import { buildOs } from './dataflow/os.js';
import { buildWs } from './dataflow/ws.js';
import { ARCH_VERSION, type Arch, type Cut, CUT_ORDER, FIXED_CUT_ORDER, type FixedDesc, type FormatDesc, type PipelineDesc, type PortDesc } from './types.js';

/** One builder per dataflow: everything that differs between OS and WS is in its module. */
const DATAFLOWS: Record<Arch['dataflow'], DataflowBuilder> = { os: buildOs, ws: buildWs };

/** Largest array the simulator accepts (the config schema allows up to 256 × 256). */
export const MAX_DIM = 256;

export { IDX_WIDTH } from './dataflow/context.js';

export const TOP_NAME = 'lbamac_array';

function desc(f: Format): FormatDesc {
  return { name: f.name, width: f.width, ...formatSpecOf(f) };
}

/** The core Format of an arch format (what the arithmetic units compute in; internal ones are wider). */
export function formatOf(d: FormatDesc): Format {
  return makeFormat({ exp: d.exp, man: d.man, bias: d.bias, subnormals: d.subnormals, specials: d.specials, overflow: d.overflow }, 'format', INTERNAL_LIMITS);
}

/** The A values a row carries per step: G (dense), or the 2:4 groups G kept slots come from (a
 *  step of G >= 2 terms spans G/2 whole groups; one term, half a group). */
function aLanes(sparsity: ArrayConfig['sparsity'], G: number): number {
  return sparsity === '2:4' ? Math.max(4, 2 * G) : G;
}

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DIM) {
    throw new LbamacError(`array: ${name} = ${JSON.stringify(v)} is not allowed; expected an integer from 1 to ${MAX_DIM}`);
  }
  return v;
}

/** Validates what the architecture needs from a config (beyond the schema) and builds the description. */
export function buildArch(cfg: ArrayConfig): Arch {
  const cell = dotCellOf(cfg);
  const R = checkDim('rows', cfg.rows);
  const C = checkDim('cols', cfg.cols);
  if (cfg.dataflow !== 'os' && cfg.dataflow !== 'ws') throw new LbamacError(`array: dataflow = ${JSON.stringify(cfg.dataflow)} is not allowed; expected "os" or "ws"`);
  if (cfg.sparsity !== 'dense' && cfg.sparsity !== '2:4') throw new LbamacError(`array: sparsity = ${JSON.stringify(cfg.sparsity)} is not allowed; expected "dense" or "2:4"`);
  if (cfg.chunk !== null && (!Number.isInteger(cfg.chunk) || cfg.chunk < 1)) {
    throw new LbamacError(`array: chunk = ${JSON.stringify(cfg.chunk)} is not allowed; expected a positive integer or none`);
  }
  const stages = cfg.pipeline?.stages ?? 0;
  if (!Number.isInteger(stages) || stages < 0 || stages > MAX_STAGES) {
    throw new LbamacError(`array: pipeline.stages = ${JSON.stringify(stages)} is not allowed; expected an integer from 0 to ${MAX_STAGES}`);
  }
  const fused = cfg.product === null;
  const fixed: FixedDesc | null = cfg.fixed === undefined ? null : { ...cfg.fixed, stateWidth: cfg.fixed.width + 3, input: cfg.rounding.input };
  // A dot-product cell's one cut so far: a register of its G rounded products before the adder.
  const dotStages = fused ? 0 : 1;
  if (cell !== null && stages > dotStages) throw new LbamacError(laneMessages.noStages(cell, stages, dotStages));
  const order = (fixed !== null ? FIXED_CUT_ORDER : CUT_ORDER)[fused ? 'fused' : 'rounded'];
  if (fixed !== null && stages > order.length) throw new LbamacError(fixedMessages.stages(stages, order.length, fused));
  if (stages > order.length) {
    throw new LbamacError(
      `array: pipeline.stages = ${stages} is not allowed for product "exact": a fused multiply-add has no rounding inside its multiplier to cut at, so it takes at most ${order.length} stages; ` +
        `set product to a format (e.g. "e5m10") or pipeline.stages to 0..${order.length}`,
    );
  }
  const cuts = order.slice(0, stages);
  const has = (c: Cut) => cuts.includes(c);
  if (has('inside-add') && cfg.rounding.acc === 'rsr') throw new LbamacError(rsrMessages.cutAdder(stages, order.indexOf('inside-add')));
  const pipeline: PipelineDesc = {
    stages,
    cuts,
    termDepth: cuts.filter((c) => c !== 'inside-add').length,
    loop: has('inside-add') ? 2 : 1,
  };
  // Stage registers that hold an exact product (fused with a cut after the multiplier, rounded with one inside it).
  // A fused cell with a fixed-point accumulator adds the exact product's code to its register.
  const holdsExact = (fused && (has('after-mul') || fixed !== null)) || has('inside-mul');
  let xprod: FormatDesc | null = null;
  if (holdsExact) {
    try {
      xprod = desc(exactProductFormat(cfg.a, cfg.w));
    } catch (e) {
      if (!(e instanceof LbamacError)) throw e;
      if (fixed !== null && fused) throw new LbamacError(fixedMessages.exactProduct(cfg.a.name, cfg.w.name, e.message));
      throw new LbamacError(
        `array: pipeline.stages = ${stages} registers the exact product of ${cfg.a.name} and ${cfg.w.name}, which needs ${cfg.a.man + cfg.w.man + 1} mantissa bits and a wide exponent, ` +
          `more than a format holds (${e.message}); use pipeline.stages = ${fused ? 0 : 1}`,
      );
    }
  }
  let xsum: FormatDesc | null = null;
  if (has('inside-add')) {
    try {
      xsum = desc(oddSumFormat(cfg.acc, cfg.product ?? formatOf(xprod!)));
    } catch (e) {
      if (!(e instanceof LbamacError)) throw e;
      throw new LbamacError(
        `array: pipeline.stages = ${stages} cuts the accumulator adder, whose register holds the sum rounded to odd with ${cfg.acc.man + 2} mantissa bits and an exponent range ` +
          `covering ${cfg.acc.name} and the products, more than an internal format holds (${e.message}); use pipeline.stages = ${order.indexOf('inside-add')}`,
      );
    }
  }
  const chunked = cfg.chunk !== null;
  const out = outputFormat(cfg);
  const ctx: BuildContext = {
    R,
    C,
    pipeline,
    sparse: cfg.sparsity === '2:4',
    chunked,
    fused,
    flags: cfg.flags ?? false,
    lanes: aLanes(cfg.sparsity, cell?.lanes ?? 1),
    dot: cell,
    formats: {
      a: desc(cfg.a),
      w: desc(cfg.w),
      product: cfg.product === null ? null : desc(cfg.product),
      acc: desc(cfg.acc),
      total: chunked ? desc(cfg.total) : null,
      out: desc(out),
      xprod,
      one: has('inside-mul') || has('inside-add') ? desc(UNIT_FORMAT) : null,
      xsum,
    },
    rounding: { product: cfg.rounding.product, acc: cfg.rounding.acc, total: cfg.rounding.total },
    fixed,
    random: cfg.random ?? null,
  };
  return {
    version: ARCH_VERSION,
    top: TOP_NAME,
    rows: R,
    cols: C,
    dataflow: cfg.dataflow,
    sparsity: cfg.sparsity,
    lanes: ctx.lanes,
    dot: cell,
    chunk: cfg.chunk,
    fused,
    flags: ctx.flags,
    pipeline,
    formats: ctx.formats,
    rounding: ctx.rounding,
    fixed,
    random: ctx.random,
    ...DATAFLOWS[cfg.dataflow](ctx),
  };
}

/** The port of that name (throws on an unknown name: a simulator/arch mismatch is a bug). */
export function portOf(arch: Arch, name: string): PortDesc {
  const p = arch.ports.find((x) => x.name === name);
  if (!p) throw new Error(`internal: ${arch.dataflow} arch has no port "${name}"`);
  return p;
}
