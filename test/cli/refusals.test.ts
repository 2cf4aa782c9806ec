// Refusals found by trying the CLI as a new user: outputs that would overwrite an input, an --only
// that names nothing, an --out the system cannot create (Node's recursive mkdir used to spin there
// forever, deaf to Ctrl-C). Each exits 1 with one `lbamac: …` line and leaves the inputs as they were.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { microSweep } from '../sweep/fixtures.js';
import { fixture, lbamac, ROOT } from './run.js';

const EXAMPLE = join(ROOT, 'examples', 'e4m3-e4m7');

describe('cli refusals', () => {
  it('gemm refuses an --out or --values that would overwrite an input', () => {
    const dir = fixture({ 'a.json': readFileSync(join(EXAMPLE, 'a.json'), 'utf8'), 'a.npy': '' });
    const a = join(dir, 'a.json');
    const before = readFileSync(a, 'utf8');
    const config = join(EXAMPLE, 'config.json');
    const over = lbamac('gemm', '--config', config, '--a', a, '--b', join(EXAMPLE, 'b.json'), '--out', a);
    expect(over.status).to.equal(1);
    expect(over.stderr).to.equal(`lbamac: --out would overwrite the input --a, ${a}; write the result to another file\n`);
    expect(readFileSync(a, 'utf8')).to.equal(before);
    // Checked before any input is read: an empty file stands for the .npy input here.
    const npy = join(dir, 'a.npy');
    const values = lbamac('gemm', '--config', config, '--a', npy, '--b', join(EXAMPLE, 'b.json'), '--values', npy);
    expect(values.status).to.equal(1);
    expect(values.stderr).to.equal(`lbamac: --values would overwrite the input --a, ${npy}; write the result to another file\n`);
    expect(readFileSync(npy, 'utf8')).to.equal('');
  });

  it('sweep refuses an --only that names no point', () => {
    const dir = fixture({ 'sweep.json': microSweep() });
    const r = lbamac('sweep', '--config', join(dir, 'sweep.json'), '--only', ' , ', '--out', join(dir, 'out'));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('lbamac: --only " , " names no point; give point ids separated by commas (the id column of results.csv)\n');
    expect(existsSync(join(dir, 'out'))).to.equal(false);
  });

  // Linux answers ENOENT for a new name under /proc although /proc exists.
  (existsSync('/proc/self') ? it : it.skip)('sweep refuses an --out under /proc at once', () => {
    const dir = fixture({ 'sweep.json': microSweep() });
    const r = lbamac('sweep', '--config', join(dir, 'sweep.json'), '--out', '/proc/lbamac-test-sweep');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('lbamac: cannot write /proc/lbamac-test-sweep: the system cannot create it there (no such file or directory); choose another location\n');
  });
});
