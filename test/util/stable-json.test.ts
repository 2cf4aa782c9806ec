import { expect } from 'chai';
import { stableStringify } from '../../util/stable-json.js';

describe('util/stable-json', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(stableStringify({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).to.equal('{"a":{"d":[{"e":2,"f":1}]},"b":1}');
    expect(stableStringify({ x: 1, y: 2 })).to.equal(stableStringify({ y: 2, x: 1 }));
  });
});
