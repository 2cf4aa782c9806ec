// The repository stands alone: a clone with nothing beside it has the arithmetic contract
// (docs/arithmetic.md) and every TestFloat vector the tests read (test/vectors/testfloat).
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { DETERMINISTIC_MODES } from '../core/format.js';
import { loadTestFloat, TESTFLOAT_MODES, testFloatDir, type TestFloatOp, type TestFloatType } from '../golden/testfloat.js';

const ROOT = packageRoot();

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? markdownUnder(path) : e.name.endsWith('.md') ? [path] : [];
  });
}

/** Every file the TestFloat tests read: f16 and f32; add, mul, mulAdd; every implemented mode. */
function usedVectorFiles(): string[] {
  const files: string[] = [];
  for (const type of ['f16', 'f32'] as TestFloatType[]) {
    for (const op of ['add', 'mul', 'mulAdd'] as TestFloatOp[]) {
      for (const mode of DETERMINISTIC_MODES) files.push(`${type}_${op}_${TESTFLOAT_MODES[mode]}.tv.gz`);
    }
  }
  return files;
}

describe('the repository stands alone', () => {
  it('README.md and docs/ point at docs/arithmetic.md, never at a folder outside the repository', () => {
    const docs = [join(ROOT, 'README.md'), ...markdownUnder(join(ROOT, 'docs'))];
    const outside = /\.\.\/shared|shared\/SPEC\.md|shared\/testfloat|LBAMAC_SHARED/;
    const offenders = docs.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (outside.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).to.deep.equal([]);
    expect(existsSync(join(ROOT, 'docs', 'arithmetic.md'))).to.equal(true);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).to.contain('docs/arithmetic.md');
  });

  it('every TestFloat vector file the tests read is inside the repository', () => {
    const dir = join(ROOT, 'test', 'vectors', 'testfloat');
    const missing = usedVectorFiles().filter((f) => !existsSync(join(dir, f)));
    expect(missing).to.deep.equal([]);
    expect(existsSync(join(dir, 'README.md'))).to.equal(true);
  });

  it('the TestFloat loader finds its folder inside the repository without LBAMAC_SHARED', () => {
    const saved = process.env.LBAMAC_SHARED;
    delete process.env.LBAMAC_SHARED;
    try {
      const dir = testFloatDir();
      expect(dir.startsWith(ROOT + sep), `${dir} is outside ${ROOT}`).to.equal(true);
      expect(relative(ROOT, dir).split(sep)).to.deep.equal(['test', 'vectors', 'testfloat']);
      const { count } = loadTestFloat('f16', 'add', 'rne', 10);
      expect(count).to.equal(10);
    } finally {
      if (saved !== undefined) process.env.LBAMAC_SHARED = saved;
    }
  });
});
