// From an ArrayConfig to the architecture description (arch/types.ts). Everything the simulator
// and the RTL generator need to agree on is decided here, once.
import { LbamacError } from '../core/errors.js';
import { exactProductFormat, UNIT_FORMAT } from '../core/exact-product.js';
import { MAX_STAGES } from '../config/schema.js';
import { type Format, formatSpecOf, makeFormat } from '../core/format.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import type { BuildContext, DataflowBuilder } from './dataflow/context.js';
import { buildOs } from './dataflow/os.js';
import { buildWs } from './dataflow/ws.js';
import { ARCH_VERSION, type Arch, type FormatDesc, type PortDesc } from './types.js';

/** One builder per dataflow: everything that differs between OS and WS is in its module. */
const DATAFLOWS: Record<Arch['dataflow'], DataflowBuilder> = { os: buildOs, ws: buildWs };

/** Largest array the simulator accepts (the config schema allows up to 256 × 256). */
export const MAX_DIM = 256;

export { IDX_WIDTH } from './dataflow/context.js';

export const TOP_NAME = 'lbamac_array';

function desc(f: Format): FormatDesc {
  return { name: f.name, width: f.width, ...formatSpecOf(f) };
}

/** The core Format of an arch format (what the arithmetic units compute in). */
export function formatOf(d: FormatDesc): Format {
  return makeFormat({ exp: d.exp, man: d.man, bias: d.bias, subnormals: d.subnormals, specials: d.specials, overflow: d.overflow });
}

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DIM) {
    throw new LbamacError(`array: ${name} = ${JSON.stringify(v)} is not allowed; expected an integer from 1 to ${MAX_DIM}`);
  }
  return v;
}

/** Validates what the architecture needs from a config (beyond the schema) and builds the description. */
export function buildArch(cfg: ArrayConfig): Arch {
  const R = checkDim('rows', cfg.rows);
  const C = checkDim('cols', cfg.cols);
  if (cfg.dataflow !== 'os' && cfg.dataflow !== 'ws') throw new LbamacError(`array: dataflow = ${JSON.stringify(cfg.dataflow)} is not allowed; expected "os" or "ws"`);
  if (cfg.sparsity !== 'dense' && cfg.sparsity !== '2:4') throw new LbamacError(`array: sparsity = ${JSON.stringify(cfg.sparsity)} is not allowed; expected "dense" or "2:4"`);
  if (cfg.chunk !== null && (!Number.isInteger(cfg.chunk) || cfg.chunk < 1)) {
    throw new LbamacError(`array: chunk = ${JSON.stringify(cfg.chunk)} is not allowed; expected a positive integer or none`);
  }
  const P = cfg.pipeline?.stages ?? 0;
  if (!Number.isInteger(P) || P < 0 || P > MAX_STAGES) throw new LbamacError(`array: pipeline.stages = ${JSON.stringify(P)} is not allowed; expected an integer from 0 to ${MAX_STAGES}`);
  const fused = cfg.product === null;
  if (fused && P > 1) {
    throw new LbamacError(
      `array: pipeline.stages = ${P} needs a product format, but product is "exact": a fused multiply-add has no rounding inside the multiplier to cut at; ` +
        'set product to a format (e.g. "e5m10") or pipeline.stages to 0 or 1',
    );
  }
  // Stage registers that hold an exact product (fused with 1 stage, rounded with 2).
  const holdsExact = (fused && P === 1) || P === 2;
  let xprod: FormatDesc | null = null;
  if (holdsExact) {
    try {
      xprod = desc(exactProductFormat(cfg.a, cfg.w));
    } catch (e) {
      if (!(e instanceof LbamacError)) throw e;
      throw new LbamacError(
        `array: pipeline.stages = ${P} registers the exact product of ${cfg.a.name} and ${cfg.w.name}, which needs ${cfg.a.man + cfg.w.man + 1} mantissa bits and a wide exponent, ` +
          `more than a format holds (${e.message}); use pipeline.stages = ${fused ? 0 : 1}`,
      );
    }
  }
  const chunked = cfg.chunk !== null;
  const out = outputFormat(cfg);
  const ctx: BuildContext = {
    R,
    C,
    P,
    sparse: cfg.sparsity === '2:4',
    chunked,
    fused,
    flags: cfg.flags ?? false,
    lanes: cfg.sparsity === '2:4' ? 4 : 1,
    formats: {
      a: desc(cfg.a),
      w: desc(cfg.w),
      product: cfg.product === null ? null : desc(cfg.product),
      acc: desc(cfg.acc),
      total: chunked ? desc(cfg.total) : null,
      out: desc(out),
      xprod,
      one: P === 2 ? desc(UNIT_FORMAT) : null,
    },
    rounding: { product: cfg.rounding.product, acc: cfg.rounding.acc, total: cfg.rounding.total },
  };
  return {
    version: ARCH_VERSION,
    top: TOP_NAME,
    rows: R,
    cols: C,
    dataflow: cfg.dataflow,
    sparsity: cfg.sparsity,
    lanes: ctx.lanes,
    chunk: cfg.chunk,
    fused,
    flags: ctx.flags,
    pipeline: { stages: P },
    formats: ctx.formats,
    rounding: ctx.rounding,
    ...DATAFLOWS[cfg.dataflow](ctx),
  };
}

/** The port of that name (throws on an unknown name: a simulator/arch mismatch is a bug). */
export function portOf(arch: Arch, name: string): PortDesc {
  const p = arch.ports.find((x) => x.name === name);
  if (!p) throw new Error(`internal: ${arch.dataflow} arch has no port "${name}"`);
  return p;
}
