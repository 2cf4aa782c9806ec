// Option values checked as yargs parses them (its `coerce` hook), so that a bad one is reported
// as one line naming the option, the value given and what is allowed; yargs itself would turn
// `--workers abc` into NaN, and answer a bad choice with the whole help text.
import { LbamacError } from '../core/errors.js';
import { identifierProblem } from '../rtl-gen/names.js';
import { messages } from './messages.js';

/** Seeds of the random generators (sim/, cosim/): 32-bit. */
export const SEED_RANGE = { min: 0, max: 2 ** 32 - 1 } as const;

/** An integer option from min to max (max Infinity: no upper bound). Leave out yargs' `type:
 *  'number'`: it would hand over NaN instead of the text the user typed. */
export function wholeNumber(option: string, min: number, max = Infinity): (raw: unknown) => number {
  return (raw) => {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new LbamacError(messages.options.notWholeNumber(option, raw, min, max));
    return value;
  };
}

/** One of a fixed set of values; keep yargs' `choices` beside it, for --help. */
export function oneOf<T extends string>(option: string, allowed: readonly T[]): (raw: unknown) => T {
  return (raw) => {
    if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) throw new LbamacError(messages.options.notOneOf(option, raw, allowed));
    return raw as T;
  };
}

/** A Verilog module name, or (isPrefix) the start of one. */
export function verilogName(option: string, isPrefix: boolean): (raw: unknown) => string {
  return (raw) => {
    const text = String(raw);
    const problem = identifierProblem(text, isPrefix);
    if (problem !== null) throw new LbamacError(messages.options.notVerilogName(option, text, problem));
    return text;
  };
}
