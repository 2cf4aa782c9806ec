import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';
import { tempDir } from '../support/tmp.js';

describe('bin/lbamac', function () {
  this.timeout(30_000);
  it('without a build, says to run make build / npm run build', () => {
    // A copy of the launcher in a package with no dist/.
    const pkg = tempDir('bin');
    mkdirSync(join(pkg, 'bin'));
    writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
    copyFileSync(join(ROOT, 'bin', 'lbamac'), join(pkg, 'bin', 'lbamac'));
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'lbamac'), '--help'], { encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/not built/).and.match(/make build/).and.match(/npm run build/);
  });
});
