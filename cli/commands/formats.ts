// `lbamac formats [FORMAT]` and `lbamac formats --kulisch A W --k K`: core/describe.ts and
// core/kulisch.ts compute, this file only lays it out.
import type { CommandModule } from 'yargs';
import { describeFormat, type ExactValue, type FormatDescription, parseFormatArg, powerForm } from '../../core/describe.js';
import { LbamacError } from '../../core/errors.js';
import { fixedPath } from '../../core/fixed-acc.js';
import { FIXED_LIMITS, makeFixed } from '../../core/fixed.js';
import { type Format, NAMED_FORMATS } from '../../core/format.js';
import { kulisch, type KulischChoice } from '../../core/kulisch.js';
import { toJsonText } from '../../engine/json.js';
import { messages } from '../messages.js';
import { wholeNumber } from '../options.js';
import { renderTable } from '../table.js';

/** The overview: the named formats and two accumulators of the project's studies: the paper's
 *  12-bit e4m7 with bias 10 and a 13-bit one with the exponent range of fp16. */
const OVERVIEW = [...NAMED_FORMATS, 'e4m7_b10', 'e5m7'];

interface Args {
  format?: string;
  json: boolean;
  kulisch?: string[];
  k?: number;
  product?: string;
  out?: string;
  withC?: boolean;
}

/** What `--kulisch` asks for. */
export interface KulischArgs {
  a: string;
  w: string;
  k: number;
  /** A format, or "exact" (the default). */
  product?: string;
  /** The output format (default fp32). */
  out?: string;
  withC?: boolean;
}

const KULISCH_ONLY = ['k', 'product', 'out', 'with-c'] as const;

export const formatsCommand: CommandModule<object, Args> = {
  command: messages.formats.command,
  describe: messages.formats.describe,
  builder: (y) =>
    y
      .usage(messages.formats.usage)
      .positional('format', { type: 'string', describe: messages.formats.format })
      .option('json', { type: 'boolean', default: false, describe: messages.formats.json })
      .option('kulisch', { type: 'string', array: true, nargs: 2, describe: messages.formats.kulisch })
      .option('k', { requiresArg: true, coerce: wholeNumber('k', 1, Number.MAX_SAFE_INTEGER), describe: messages.formats.k })
      .option('product', { type: 'string', requiresArg: true, describe: messages.formats.product })
      .option('out', { type: 'string', requiresArg: true, describe: messages.formats.out })
      .option('with-c', { type: 'boolean', describe: messages.formats.withC })
      .check((args) => {
        if (args.kulisch === undefined) {
          const given = KULISCH_ONLY.filter((o) => args[o] !== undefined);
          if (given.length > 0) throw new LbamacError(messages.formats.kulischOnly(given));
          return true;
        }
        if (args.format !== undefined) throw new LbamacError(messages.formats.kulischAndFormat(args.format));
        if (args.k === undefined) throw new LbamacError(messages.formats.kulischNeedsK);
        return true;
      })
      .example(messages.formats.examples),
  handler: (args) => {
    if (args.kulisch !== undefined) {
      const [a, w] = args.kulisch as [string, string];
      process.stdout.write(kulischText({ a, w, k: args.k!, product: args.product, out: args.out, withC: args.withC }, args.json));
      return;
    }
    process.stdout.write(formatsText(args.format, args.json));
  },
};

export function formatsText(format: string | undefined, json: boolean): string {
  if (format !== undefined) {
    const d = describeFormat(parseFormatArg(format));
    return json ? toJsonText(d) : renderTable(detailRows(d));
  }
  const all = OVERVIEW.map((name) => [name, describeFormat(parseFormatArg(name))] as const);
  if (json) return toJsonText(Object.fromEntries(all));
  return renderTable([messages.formatColumns, ...all.map(([name, d]) => overviewRow(name, d))]);
}

function overviewRow(name: string, d: FormatDescription): string[] {
  return [
    name,
    d.name,
    String(d.width),
    String(d.bias),
    d.specials,
    d.overflow,
    d.largestFinite.decimal,
    d.smallestNormal.decimal,
    d.smallestSubnormal?.decimal ?? messages.formatTexts.noSubnormal,
    powerForm(d.epsilon),
  ];
}

function detailRows(d: FormatDescription): string[][] {
  const L = messages.formatLabels;
  const T = messages.formatTexts;
  const value = (v: ExactValue, code: string | null): string => T.value(v.decimal, powerForm(v), code);
  return [
    [L.name, d.name],
    [L.width, T.width(d.width, d.exp, d.man)],
    [L.bias, T.bias(d.bias, d.emin, d.emax)],
    [L.subnormals, T.subnormals(d.subnormals, d.man)],
    [L.specials, T.specials[d.specials]],
    [L.overflow, T.overflow(d.overflow, d.largestFinite.decimal)],
    [L.smallestSubnormal, d.smallestSubnormal ? value(d.smallestSubnormal, d.codes.smallestSubnormal) : T.noSubnormal],
    [L.smallestNormal, value(d.smallestNormal, d.codes.smallestNormal)],
    [L.largestFinite, value(d.largestFinite, d.codes.largestFinite)],
    [L.epsilon, value(d.epsilon, null)],
    [L.precision, T.precision(d.precisionBits)],
    [L.zero, T.zero(d.codes.zero, d.codes.negZero)],
    [L.inf, T.inf(d.codes.inf, d.codes.negInf)],
    [L.nan, T.nan(d.codes.nanCodes, d.codes.nan)],
  ];
}

/** The register --kulisch chooses, as a table (or JSON) that says why. */
export function kulischText(args: KulischArgs, json: boolean): string {
  const a = parseFormatArg(args.a);
  const w = parseFormatArg(args.w);
  const product = args.product === undefined || args.product === 'exact' ? null : parseFormatArg(args.product);
  const out = parseFormatArg(args.out ?? 'fp32');
  const choice = kulisch({ a, w, product, k: args.k, ...(args.withC ? { c: out } : {}) });
  const config = choice.configurable ? configOf(choice, out) : null;
  const path = config === null ? null : fixedPath({ a, w, product, out, fixed: makeFixed({ msb: choice.msb, lsb: choice.lsb, overflow: 'saturate' }) });
  if (json) return toJsonText({ a: a.name, w: w.name, product: product?.name ?? 'exact', k: args.k, out: out.name, withC: args.withC ?? false, ...choice, path, config });
  const L = messages.kulischLabels;
  const T = messages.kulischTexts;
  const lsbWhy = {
    'exact-product': () => T.lsb['exact-product'](choice, a.name, w.name, a.emin - a.man, w.emin - w.man),
    'product-format': () => T.lsb['product-format'](choice, product!.name),
    'product-max': () => T.lsb['product-max'](choice, product!.name),
    c: () => T.lsb.c(choice, out.name),
  }[choice.lsbFrom]();
  const rows = [
    [L.title, T.title(a.name, w.name, product?.name ?? null, args.k)],
    [L.lsb, `${choice.lsb}: ${lsbWhy}`],
    [L.msb, T.msb(choice.msb, args.k, choice.largestProduct.decimal, T.largestProduct[choice.largestProductFrom](a.name, w.name, product?.name ?? ''), choice.largestC?.decimal ?? null, choice.bound.decimal)],
    [L.register, T.register(choice.width, choice.lsb, choice.msb)],
    [L.c, args.withC ? T.cCovered(out.name) : T.cNotCovered(out.name)],
  ];
  if (config === null) rows.push([L.config, T.tooWide(choice.width, FIXED_LIMITS.width.max)]);
  else rows.push([L.core, T.core(path!)], [L.config, JSON.stringify(config)]);
  return renderTable(rows);
}

/** The config's acc for the choice: saturating (it never overflows anyway), into `out` by its
 *  canonical name (which parses back to it). */
function configOf(choice: KulischChoice, out: Format) {
  return { acc: { fixed: { msb: choice.msb, lsb: choice.lsb }, overflow: 'saturate', out: out.name } };
}
