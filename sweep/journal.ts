// The sweep journal (journal.jsonl in the output directory): what makes --resume, --shard and
// merge possible. Line 1 is a header naming the sweep (its config and hash) and the selection of
// points this run covers; every further line is one finished point's PointResult.
//
// A fresh journal is created whole (writeFileAtomic); each point is then appended as one line by
// a single write and fsync'd before the run moves on, so a point is on disk once it is reported.
// A crash can at worst leave a last line without its newline: the reader drops it (and a resume
// truncates it away before appending), so no half-written point is ever taken for a result.
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { fsUserError } from '../util/fs-errors.js';
import { RESULTS_VERSION } from './canonical.js';
import type { PointResult } from './point.js';
import type { SweepConfig } from './schema.js';

export const JOURNAL_FILE = 'journal.jsonl';
const MAGIC = 'lbamac-sweep-journal';

/** Which points of the sweep a run computes: all, one shard, or a list of point ids. */
export interface Selection {
  shard: { index: number; count: number } | null;
  only: string[] | null;
}

export interface JournalHeader {
  journal: typeof MAGIC;
  resultsVersion: number;
  sweepHash: string;
  selection: Selection;
  sweep: SweepConfig;
}

export interface JournalContents {
  header: JournalHeader;
  results: PointResult[];
  /** Bytes of whole lines: a torn last line starts here. */
  wholeBytes: number;
}

export function journalPath(dir: string): string {
  return join(dir, JOURNAL_FILE);
}

export function describeSelection(s: Selection): string {
  if (s.shard) return `shard ${s.shard.index}/${s.shard.count}`;
  if (s.only) return `the points ${s.only.join(', ')}`;
  return 'every point';
}

export function sameSelection(a: Selection, b: Selection): boolean {
  return describeSelection(a) === describeSelection(b);
}

/** Reads a journal; null when the file does not exist. Only a torn last line is tolerated. */
export function readJournal(dir: string): JournalContents | null {
  const path = journalPath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LbamacError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  if (lines.length === 0) throw new LbamacError(`${path} has no header line: it is not a sweep journal`);
  const header = parseLine(lines[0]!, path, 1) as JournalHeader | null;
  if (header?.journal !== MAGIC) throw new LbamacError(`${path} is not a sweep journal (its first line lacks "journal": "${MAGIC}")`);
  if (header.resultsVersion !== RESULTS_VERSION) {
    throw new LbamacError(`${path} holds results of version ${header.resultsVersion}, this lbamac writes version ${RESULTS_VERSION}: run the sweep again with --force`);
  }
  checkFields(header, HEADER_FIELDS, path, 1);
  const results = lines.slice(1).map((l, i) => checkFields(parseLine(l, path, i + 2), POINT_FIELDS, path, i + 2) as PointResult);
  return { header, results, wholeBytes: Buffer.byteLength(text.slice(0, end), 'utf8') };
}

/** The JSON kinds a field may hold, '|'-separated. */
type Kinds = `${'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | 'undefined'}${string}`;

const HEADER_FIELDS: Record<keyof JournalHeader, Kinds> = { journal: 'string', resultsVersion: 'number', sweepHash: 'string', selection: 'object', sweep: 'object' };

// Every field of a PointResult (the Record makes the compiler insist on each): the report reads
// them all, so a record lacking one must be refused here, not crash the report later.
const POINT_FIELDS: Record<keyof PointResult, Kinds> = {
  id: 'string',
  index: 'number',
  block: 'string',
  role: 'string',
  workload: 'string',
  kind: 'string',
  M: 'number',
  K: 'number',
  N: 'number',
  a: 'string',
  w: 'string',
  product: 'string',
  acc: 'string',
  accExp: 'number',
  accMan: 'number',
  accBias: 'number',
  accWidth: 'number',
  accSubnormals: 'boolean',
  accSpecials: 'string',
  accOverflow: 'string',
  rounding: 'string',
  roundingProduct: 'string',
  roundingInput: 'string',
  chunk: 'number|null',
  sparsity: 'string',
  metrics: 'object',
  events: 'object',
  terms: 'number',
  swampingRate: 'number',
  accuracy: 'number|null',
  accuracyFloat64: 'number|null',
  accuracyExactAcc: 'number|null',
  layers: 'array',
  refMethod: 'string',
  area: 'object|null',
  seconds: 'number',
  config: 'object',
  // Journals written before the input conversions were counted have none.
  inputs: 'object|undefined',
  // Only onnx points have these; layer and mixed points perLayer.
  accuracyOrt: 'number|undefined',
  images: 'number|undefined',
  classes: 'number|undefined',
  perLayer: 'object|undefined',
};

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** The record itself, once each field holds a value of its kind; else an LbamacError naming the line and the field. */
function checkFields(record: unknown, fields: Record<string, Kinds>, path: string, n: number): unknown {
  if (kindOf(record) !== 'object') throw new LbamacError(`${path} line ${n} is not a JSON object: the journal was changed by something other than lbamac`);
  for (const [field, kinds] of Object.entries(fields)) {
    const value = (record as Record<string, unknown>)[field];
    if (!kinds.split('|').includes(kindOf(value))) {
      const problem = value === undefined ? `has no field "${field}"` : `has "${field}" of kind ${kindOf(value)}, expected ${kinds.replace('|', ' or ')}`;
      throw new LbamacError(`${path} line ${n} ${problem}: the journal was changed by something other than lbamac; fix or delete that line, or start over with --force`);
    }
  }
  return record;
}

function parseLine(line: string, path: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new LbamacError(`${path} line ${n} is not JSON: the journal was changed by something other than lbamac`);
  }
}

/** A complete journal in one atomic write (what merge leaves in its output directory). */
export async function writeWholeJournal(dir: string, header: JournalHeader, results: readonly PointResult[]): Promise<void> {
  await writeFileAtomic(journalPath(dir), [header, ...results].map((x) => JSON.stringify(x) + '\n').join(''));
}

/** `write()`, with the failures a user can fix (a full disk) reported as such. */
function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw fsUserError(path, err);
  }
}

/** An open journal, appending one point per line. */
export class JournalWriter {
  private constructor(
    private fd: number,
    readonly path: string,
  ) {}

  /** A new journal holding the header alone (replacing any earlier one atomically). */
  static async create(dir: string, header: JournalHeader): Promise<JournalWriter> {
    const path = journalPath(dir);
    await writeFileAtomic(path, JSON.stringify(header) + '\n');
    return writing(path, () => new JournalWriter(openSync(path, 'a'), path));
  }

  /** Appends to an existing journal after cutting off a torn last line, if any. */
  static reopen(dir: string, contents: JournalContents): JournalWriter {
    const path = journalPath(dir);
    return writing(path, () => {
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, contents.wholeBytes);
      fsyncSync(fd);
      closeSync(fd);
      return new JournalWriter(openSync(path, 'a'), path);
    });
  }

  append(result: PointResult): void {
    const line = Buffer.from(JSON.stringify(result) + '\n', 'utf8');
    writing(this.path, () => {
      let off = 0;
      while (off < line.length) off += writeSync(this.fd, line, off);
      fsyncSync(this.fd);
    });
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
