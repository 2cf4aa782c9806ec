// `lbamac formats [FORMAT]`: core/describe.ts computes, this file only lays it out.
import type { CommandModule } from 'yargs';
import { describeFormat, type ExactValue, type FormatDescription, parseFormatArg, powerForm } from '../../core/describe.js';
import { NAMED_FORMATS } from '../../core/format.js';
import { toJsonText } from '../../engine/json.js';
import { messages } from '../messages.js';
import { renderTable } from '../table.js';

/** The overview: the named formats and two of the project's accumulator-sized examples. */
const OVERVIEW = [...NAMED_FORMATS, 'e4m7', 'e5m10'];

interface Args {
  format?: string;
  json: boolean;
}

export const formatsCommand: CommandModule<object, Args> = {
  command: messages.formats.command,
  describe: messages.formats.describe,
  builder: (y) =>
    y
      .usage(messages.formats.usage)
      .positional('format', { type: 'string', describe: messages.formats.format })
      .option('json', { type: 'boolean', default: false, describe: messages.formats.json })
      .example(messages.formats.examples),
  handler: (args) => {
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
