// The full array configuration as header rows, shared by every module and file `lbamac gen`
// writes, so that each one names the configuration it was generated for.
import type { Format } from '../../core/format.js';
import type { ArrayConfig } from '../../config/resolve.js';
import { shortHash } from '../back/module.js';
import { describeFormat } from '../lib/operand.js';
import { describeFixed } from '../lib/fixed-add.js';

/** The configuration as plain JSON (formats by their resolved fields): the manifest's `config`. */
export function configJson(cfg: ArrayConfig): Record<string, unknown> {
  const fmt = (f: Format) => ({ name: f.name, exp: f.exp, man: f.man, bias: f.bias, subnormals: f.subnormals, specials: f.specials, overflow: f.overflow });
  return {
    rows: cfg.rows,
    cols: cfg.cols,
    dataflow: cfg.dataflow,
    sparsity: cfg.sparsity,
    a: fmt(cfg.a),
    w: fmt(cfg.w),
    product: cfg.product === null ? 'exact' : fmt(cfg.product),
    acc: fmt(cfg.acc),
    total: cfg.chunk === null ? null : fmt(cfg.total),
    rounding: cfg.rounding,
    chunk: cfg.chunk,
    pipeline: { stages: cfg.pipeline?.stages ?? 0 },
    // Only with rsr (a fixed-point accumulator), so that the other configurations keep their hashes.
    ...(cfg.random === undefined ? {} : { random: cfg.random }),
    ...(cfg.fixed === undefined ? {} : { fixed: { msb: cfg.fixed.msb, lsb: cfg.fixed.lsb, overflow: cfg.fixed.overflow } }),
  };
}

/** Eight hex digits identifying the configuration (the same config always gives the same hash). */
export function configHash(cfg: ArrayConfig): string {
  return shortHash(JSON.stringify(configJson(cfg)));
}

/** The configuration as [key, value] rows for module and file headers. */
export function configRows(cfg: ArrayConfig): [string, string][] {
  const P = cfg.pipeline?.stages ?? 0;
  const rows: [string, string][] = [
    ['array', `${cfg.rows} x ${cfg.cols}, ${cfg.dataflow === 'os' ? 'output-stationary (os)' : 'weight-stationary (ws)'}, ${cfg.sparsity === '2:4' ? '2:4 sparse' : 'dense'}`],
    ['a', describeFormat(cfg.a)],
    ['w', describeFormat(cfg.w)],
    ['product', cfg.product === null ? 'exact (fused multiply-add)' : `${describeFormat(cfg.product)}; rounding ${cfg.rounding.product}`],
    cfg.fixed === undefined
      ? ['acc', `${describeFormat(cfg.acc)}; rounding ${cfg.rounding.acc}`]
      : ['acc', `fixed point, ${describeFixed(cfg.fixed)}; C onto the grid ${cfg.rounding.input}, products ${cfg.rounding.acc}; D into ${describeFormat(cfg.acc)}, ${cfg.rounding.acc}`],
  ];
  if (cfg.chunk !== null) {
    rows.push(['chunk', `${cfg.chunk} terms`]);
    rows.push(['total', `${describeFormat(cfg.total)}; rounding ${cfg.rounding.total}`]);
  } else {
    rows.push(['chunk', 'none']);
  }
  if (cfg.random !== undefined) rows.push(['random stream', `rsr draws ${cfg.random.bits} bits, seed ${cfg.random.seed} (core/random-stream.ts)`]);
  rows.push(['pipeline', `${P} stage${P === 1 ? '' : 's'}`]);
  rows.push(['config hash', configHash(cfg)]);
  return rows;
}
