import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../config/resolve.js';
import { configJsonSchemaText } from '../../engine/config-schema.js';
import { ROOT } from '../cli/run.js';

const BASE = { a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: { exp: 4, man: 7, bias: 10 } };

describe('config: JSON Schema and error messages', () => {
  it('schema/config.schema.json is up to date (run npm run build to regenerate)', () => {
    expect(readFileSync(join(ROOT, 'schema', 'config.schema.json'), 'utf8')).to.equal(configJsonSchemaText());
  });

  it('the schema describes the input: required formats, defaults, no unknown keys', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema).to.include({ $id: 'urn:lbamac:config', title: 'lbamac array configuration', additionalProperties: false });
    expect(schema.required).to.deep.equal(['a', 'w', 'product', 'acc']);
    expect(schema.properties.rows).to.include({ default: 4, minimum: 1 });
    // acc: a float format or a fixed-point register.
    const fixed = schema.properties.acc.anyOf.find((s: { properties?: object }) => s.properties && 'fixed' in s.properties);
    expect(fixed).to.include({ additionalProperties: false });
    expect(fixed.required).to.deep.equal(['fixed', 'overflow', 'out']);
    expect(fixed.properties.overflow.enum).to.deep.equal(['saturate', 'wrap']);
    expect(fixed.properties.fixed.properties.msb).to.include({ type: 'integer', minimum: -(2 ** 22), maximum: 2 ** 22 });
  });

  const cases: [string, unknown, RegExp][] = [
    ['an unknown key', { ...BASE, colums: 4 }, /^config: unknown key "colums"; allowed keys: rows, cols, dataflow/],
    ['a number too large for a double (JSON 1e309)', { ...BASE, rows: Infinity }, /^config\.rows: .*\(got Infinity\)/],
    ['an unknown key in a format', { ...BASE, acc: { exp: 4, man: 7, bais: 10 } }, /^config\.acc: unknown key "bais"; allowed keys: exp, man, bias/],
    ['rows: 0', { ...BASE, rows: 0 }, /^config\.rows: must be from 1 to 256 \(got 0\)$/],
    ['a fractional chunk', { ...BASE, chunk: 2.5 }, /^config\.chunk: expected an integer \(got 2\.5\)$/],
    ['a bad format name', { ...BASE, a: 'fp8' }, /^config\.a: "fp8" is not a format; expected one of fp32, fp16, bf16, e5m2, e4m3 or eXmY/],
    ['a format of the wrong type', { ...BASE, w: 8 }, /^config\.w: expected a named format .*, or an object with keys exp, man, bias, subnormals, specials, overflow \(got 8\)$/],
    ['a missing format', { a: 'e4m3', w: 'e4m3', acc: 'fp16' }, /^config\.product: expected "exact", or a named format .* \(missing\)$/],
    ['a missing exponent width', { ...BASE, acc: { man: 7 } }, /^config\.acc\.exp: expected an integer \(missing\)$/],
    ['overflow inf with specials fn', { ...BASE, acc: { exp: 4, man: 3, specials: 'fn', overflow: 'inf' } }, /^config\.acc: overflow = "inf" needs specials = "ieee"/],
    ['a bad rounding mode', { ...BASE, rounding: { acc: 'rn' } }, /^config\.rounding\.acc: expected one of "rne", "rna", "rtz", "rdn", "rup", "rod", "rsr" \(got "rn"\)$/],
    ['rsr without randomBits', { ...BASE, rounding: { acc: 'rsr' } }, /^config\.rounding\.acc = "rsr" needs config\.rounding\.randomBits, .*an integer from 1 to 32; it is not set$/],
    ['randomBits 0', { ...BASE, rounding: { acc: 'rsr', randomBits: 0 } }, /^config\.rounding\.randomBits: must be from 1 to 32 \(got 0\)$/],
    ['randomBits 33', { ...BASE, rounding: { acc: 'rsr', randomBits: 33 } }, /^config\.rounding\.randomBits: must be from 1 to 32 \(got 33\)$/],
    ['a negative seed', { ...BASE, rounding: { acc: 'rsr', randomBits: 8, seed: -1 } }, /^config\.rounding\.seed: must be from 0 to 4294967295 \(got -1\)$/],
    ['randomBits without rsr', { ...BASE, rounding: { acc: 'rne', randomBits: 8 } }, /^config\.rounding\.randomBits is set but no step of the configuration rounds with "rsr"/],
    ['rsr for the inputs', { ...BASE, rounding: { input: 'rsr', acc: 'rsr', randomBits: 8 } }, /^config\.rounding\.input: expected one of "rne", "rna", "rtz", "rdn", "rup", "rod" \(got "rsr"\)$/],
    ['rsr in a dot-product cell', { ...BASE, lanes: 4, rounding: { acc: 'rsr', randomBits: 8 } }, /^config\.rounding: "rsr" is not implemented for dot-product cells/],
    ['total without chunk', { ...BASE, total: 'fp16' }, /^config\.total is set but chunk is not/],
  ];
  const fixed = (over: object) => ({ ...BASE, acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp16', ...over } });
  cases.push(
    ['a fixed accumulator with chunk', { ...fixed({}), chunk: 16 }, /^config\.chunk = 16 is not allowed with a fixed-point accumulator \(config\.acc\.fixed\).*remove chunk$/],
    ['msb <= lsb', fixed({ fixed: { msb: -18, lsb: -18 } }), /^config\.acc\.fixed: msb = -18 is not allowed with lsb = -18; expected msb from -17 to 4076, .* 3 to 4096 bits; it would have 2$/],
    ['a register wider than 4096 bits', fixed({ fixed: { msb: 5000, lsb: 0 } }), /^config\.acc\.fixed: msb = 5000 is not allowed with lsb = 0; expected msb from 1 to 4094, .*it would have 5002$/],
    ['a bit position beyond the limits', fixed({ fixed: { msb: 2 ** 23, lsb: 0 } }), /^config\.acc\.fixed\.msb: must be from -4194304 to 4194304 \(got 8388608\)$/],
    ['a fractional lsb', fixed({ fixed: { msb: 3, lsb: 0.5 } }), /^config\.acc\.fixed\.lsb: expected an integer \(got 0\.5\)$/],
    ['a bad fixed overflow', fixed({ overflow: 'inf' }), /^config\.acc\.overflow: expected one of "saturate", "wrap" \(got "inf"\)$/],
    ['a missing out', { ...BASE, acc: { fixed: { msb: 3, lsb: 0 }, overflow: 'wrap' } }, /^config\.acc\.out: expected a named format .* \(missing\)$/],
    ['a bad out', fixed({ out: 'fp8' }), /^config\.acc\.out: "fp8" is not a format/],
    ['an unknown key beside fixed', fixed({ bias: 3 }), /^config\.acc: unknown key "bias"; allowed keys: fixed, overflow, out$/],
    ['fixed inside a float format', { ...BASE, acc: { exp: 4, man: 7, fixed: 1 } }, /^config\.acc: unknown key "fixed"; allowed keys: exp, man, bias/],
    ['rsr with a fixed accumulator', { ...fixed({}), rounding: { acc: 'rsr', randomBits: 8 } }, /^config\.rounding: "rsr" is not implemented for the fixed-point accumulator fixed\(msb 29, lsb -18, saturate\) into fp16/],
  );
  for (const [name, raw, message] of cases) {
    it(`rejects ${name}, naming field and value`, () => {
      expect(() => resolveConfig(raw)).to.throw(message).with.property('name', 'LbamacError');
    });
  }
});
