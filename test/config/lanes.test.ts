import { expect } from 'chai';
import { canonicalConfig } from '../../config/canonical.js';
import { resolveConfig } from '../../config/resolve.js';
import { dotCellOf } from '../../core/lanes.js';
import { configJsonSchema } from '../../engine/config-schema.js';

const BASE = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp16' };

describe('config: lanes and alignBits (dot-product cells)', () => {
  it('default to the multiply-add cell: 1 lane, "exact"; canonical configs (and point hashes) leave them out', () => {
    const cfg = resolveConfig(BASE);
    expect([cfg.lanes, cfg.alignBits]).to.deep.equal([1, 'exact']);
    expect(dotCellOf(cfg)).to.equal(null);
    expect(canonicalConfig(cfg)).not.to.have.any.keys('lanes', 'alignBits');
  });

  it('a dot-product cell is read, selected and kept in the canonical config (which resolves back to it)', () => {
    for (const [lanes, alignBits] of [[4, 24], [32, 'exact'], [1, 3]] as const) {
      const cfg = resolveConfig({ ...BASE, lanes, alignBits, chunk: 32 * lanes });
      expect(dotCellOf(cfg)).to.deep.equal({ lanes, alignBits });
      expect(canonicalConfig(cfg)).to.include({ lanes, alignBits });
      expect(canonicalConfig(resolveConfig(canonicalConfig(cfg)))).to.deep.equal(canonicalConfig(cfg));
    }
  });

  const cases: [string, object, RegExp][] = [
    ['lanes not in the list', { lanes: 3 }, /^config\.lanes: expected 1 or 2 or 4 or 8 or 16 or 32 \(got 3\)$/],
    ['lanes as a string', { lanes: '4' }, /^config\.lanes: expected 1 or 2 or 4 or 8 or 16 or 32 \(got "4"\)$/],
    ['alignBits 0', { alignBits: 0 }, /^config\.alignBits: must be from 1 to 1024 \(got 0\)$/],
    ['alignBits too wide', { alignBits: 2000 }, /^config\.alignBits: must be from 1 to 1024 \(got 2000\)$/],
    ['a fractional alignBits', { alignBits: 2.5 }, /^config\.alignBits: expected an integer, or "exact" \(got 2\.5\)$/],
    ['an unknown alignBits word', { alignBits: 'wide' }, /^config\.alignBits: expected an integer, or "exact" \(got "wide"\)$/],
    ['a chunk that is not a multiple of lanes', { lanes: 4, chunk: 6 }, /^config\.chunk = 6 is not a multiple of lanes = 4: .*; use a multiple of 4 \(4, 8, 12, \.\.\.\)$/],
  ];
  for (const [name, extra, message] of cases) {
    it(`rejects ${name}, naming the value and what is allowed`, () => {
      expect(() => resolveConfig({ ...BASE, ...extra })).to.throw(message).with.property('name', 'LbamacError');
    });
  }

  it('the JSON Schema lists the lanes and the range of alignBits', () => {
    const { lanes, alignBits } = (configJsonSchema() as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(lanes).to.include({ default: 1 }).and.to.have.deep.property('enum', [1, 2, 4, 8, 16, 32]);
    expect(alignBits).to.include({ default: 'exact' }).and.to.have.deep.property('anyOf', [
      { type: 'integer', minimum: 1, maximum: 1024 },
      { type: 'string', const: 'exact' },
    ]);
  });
});
