import { expect } from 'chai';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { LbamacError } from '../../core/errors.js';
import { expandSweep, parseSweep } from '../../sweep/grid.js';
import { JournalWriter, journalPath, readJournal, type JournalHeader } from '../../sweep/journal.js';
import { RESULTS_VERSION } from '../../sweep/canonical.js';
import { runPoint } from '../../sweep/point.js';
import { tempDir } from '../support/tmp.js';
import { tinySweep } from './fixtures.js';

describe('sweep/journal', function () {
  this.timeout(60_000);
  const sweep = expandSweep(parseSweep(tinySweep()));
  const header: JournalHeader = { journal: 'lbamac-sweep-journal', resultsVersion: RESULTS_VERSION, sweepHash: sweep.hash, selection: { shard: null, only: null }, sweep: sweep.config };
  const synthetic = sweep.points.filter((p) => p.workload.kind === 'synthetic').slice(0, 3);
  const results = synthetic.map(runPoint);

  it('reads back the header and every appended point', async () => {
    const dir = tempDir('journal');
    const w = await JournalWriter.create(dir, header);
    for (const r of results) w.append(r);
    w.close();
    const j = readJournal(dir)!;
    expect(j.header).to.deep.equal(JSON.parse(JSON.stringify(header)));
    expect(j.results).to.deep.equal(JSON.parse(JSON.stringify(results)));
  });

  it('a missing journal reads as null', () => {
    expect(readJournal(tempDir('journal'))).to.equal(null);
  });

  it('drops a torn last line, and reopening cuts it off before appending', async () => {
    const dir = tempDir('journal');
    const w = await JournalWriter.create(dir, header);
    w.append(results[0]!);
    w.close();
    const whole = readFileSync(journalPath(dir), 'utf8');
    const torn = JSON.stringify(results[1]).slice(0, 40); // a point cut off mid-write
    appendFileSync(journalPath(dir), torn);
    const j = readJournal(dir)!;
    expect(j.results.map((r) => r.id)).to.deep.equal([results[0]!.id]);
    expect(j.wholeBytes).to.equal(Buffer.byteLength(whole));
    const again = JournalWriter.reopen(dir, j);
    again.append(results[2]!);
    again.close();
    expect(readFileSync(journalPath(dir), 'utf8')).to.equal(whole + JSON.stringify(results[2]) + '\n');
    expect(readJournal(dir)!.results.map((r) => r.id)).to.deep.equal([results[0]!.id, results[2]!.id]);
  });

  it('refuses a file that is not a journal, a corrupt middle line, and results of another version', () => {
    const dir = tempDir('journal');
    writeFileSync(journalPath(dir), '{"hello":1}\n');
    expect(() => readJournal(dir)).to.throw(LbamacError, /not a sweep journal/);
    writeFileSync(journalPath(dir), JSON.stringify(header) + '\n{"id":\n' + JSON.stringify(results[0]) + '\n');
    expect(() => readJournal(dir)).to.throw(LbamacError, /line 2 is not JSON/);
    writeFileSync(journalPath(dir), JSON.stringify({ ...header, resultsVersion: RESULTS_VERSION + 1 }) + '\n');
    expect(() => readJournal(dir)).to.throw(LbamacError, new RegExp(`version ${RESULTS_VERSION + 1}`));
  });

  it('refuses a record that is JSON but lacks a field or holds the wrong kind, naming the file, line and field', () => {
    const dir = tempDir('journal');
    const { acc, ...renamed } = results[1]!;
    const lines = (second: unknown) => [header, results[0], second].map((x) => JSON.stringify(x) + '\n').join('');
    writeFileSync(journalPath(dir), lines({ ...renamed, accName: acc }));
    expect(() => readJournal(dir)).to.throw(LbamacError, `${journalPath(dir)} line 3 has no field "acc": the journal was changed by something other than lbamac; fix or delete that line, or start over with --force`);
    writeFileSync(journalPath(dir), lines({ ...results[1], chunk: '16' }));
    expect(() => readJournal(dir)).to.throw(LbamacError, /line 3 has "chunk" of kind string, expected number or null/);
    writeFileSync(journalPath(dir), lines([1, 2]));
    expect(() => readJournal(dir)).to.throw(LbamacError, /line 3 is not a JSON object/);
    const { sweepHash: _h, ...headless } = header;
    writeFileSync(journalPath(dir), JSON.stringify(headless) + '\n');
    expect(() => readJournal(dir)).to.throw(LbamacError, /line 1 has no field "sweepHash"/);
    writeFileSync(journalPath(dir), 'null\n');
    expect(() => readJournal(dir)).to.throw(LbamacError, /not a sweep journal/);
  });
});
