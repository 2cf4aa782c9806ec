import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { sha256, sha256Fields, shortHash } from '../../util/hash.js';

describe('util/hash', () => {
  it('is the hex SHA-256 of the text; shortHash its first eight digits', () => {
    const full = createHash('sha256').update('lbamac').digest('hex');
    expect(sha256('lbamac')).to.equal(full);
    expect(shortHash('lbamac')).to.equal(full.slice(0, 8));
  });

  it('keeps fields apart: text moved between fields changes the hash', () => {
    expect(sha256Fields(['ab', 'c'])).to.not.equal(sha256Fields(['a', 'bc']));
    expect(sha256Fields(['ab', 'c'])).to.equal(sha256('ab\0c\0'));
  });
});
