import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageInfo, packagePath, packageRoot } from '../../util/package-root.js';

describe('util/package-root', () => {
  it("finds lbamac's package.json and reads its name and version", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
    expect(pkg.name).to.equal('lbamac');
    expect(packageInfo()).to.deep.equal({ name: pkg.name, version: pkg.version });
  });

  it('resolves relative paths against the package root and keeps absolute ones', () => {
    expect(packagePath('models/mlp.json')).to.equal(join(packageRoot(), 'models', 'mlp.json'));
    expect(packagePath('/tmp/x')).to.equal('/tmp/x');
  });
});
