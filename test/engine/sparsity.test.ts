import { expect } from 'chai';
import { fromFloat64, isZeroCode, RNE, toFloat64 } from '../../core/arith.js';
import { parseFormatName } from '../../core/format.js';
import { compress24 } from '../../core/sparse.js';
import { checkSparsity, prune24 } from '../../engine/sparsity.js';
import { mulberry32 } from '../support/rng.js';

const fp16 = parseFormatName('fp16');
/** K×N codes of fp16 from values; columns given as lists along K. */
const fromColumns = (...cols: number[][]) => cols[0]!.map((_, k) => cols.map((c) => fromFloat64(c[k]!, fp16, RNE)));
const column = (B: number[][], j: number) => B.map((row) => toFloat64(row[j]!, fp16));

describe('engine/sparsity', () => {
  describe('prune24', () => {
    it('keeps the 2 largest magnitudes of each aligned group of 4 along K, per column, and counts what it zeroed', () => {
      const B = fromColumns([1, -3, 2, 0.5, 0, 4, -5, 6], [0, 0, 7, 0, 1, 0, 0, 1]);
      expect(prune24(B, fp16)).to.deep.equal({ zeroed: 3, nonzeros: 10 });
      expect(column(B, 0)).to.deep.equal([0, -3, 2, 0, 0, 0, -5, 6]);
      expect(column(B, 1)).to.deep.equal([0, 0, 7, 0, 1, 0, 0, 1]); // already 2:4: untouched
    });

    it('breaks ties by keeping the lower row', () => {
      const B = fromColumns([2, -2, 2, 1]);
      prune24(B, fp16);
      expect(column(B, 0)).to.deep.equal([2, -2, 0, 0]);
    });

    it('keeps NaN as if it were infinite, so that a broken weight is not pruned out of sight; zeros of either sign are not nonzeros', () => {
      const B = fromColumns([1, NaN, 2, -Infinity], [-0, 3, 0, 1]);
      expect(prune24(B, fp16)).to.deep.equal({ zeroed: 2, nonzeros: 6 });
      expect(column(B, 0)).to.deep.equal([0, NaN, 0, -Infinity]);
    });

    it('prunes a last group shorter than 4 (K padded with zeros)', () => {
      const B = fromColumns([1, 1, 0, 0, 3, 1, 2]);
      expect(prune24(B, fp16)).to.deep.equal({ zeroed: 1, nonzeros: 5 });
      expect(column(B, 0)).to.deep.equal([1, 1, 0, 0, 3, 0, 2]);
    });

    it('on random matrices: the result is 2:4 sparse, changes only zeroed entries, and no zeroed weight outweighs a kept one', () => {
      const rng = mulberry32(12);
      for (let trial = 0; trial < 50; trial++) {
        const K = 1 + Math.floor(rng() * 13);
        const N = 1 + Math.floor(rng() * 4);
        // Few distinct magnitudes, so that ties happen.
        const dense = Array.from({ length: K }, () => Array.from({ length: N }, () => fromFloat64(rng() < 0.2 ? 0 : Math.round((rng() - 0.5) * 8), fp16, RNE)));
        const B = dense.map((row) => [...row]);
        const { zeroed } = prune24(B, fp16);
        expect(() => compress24(B, fp16, N)).not.to.throw();
        let changed = 0;
        for (let k = 0; k < K; k++) {
          for (let j = 0; j < N; j++) {
            if (B[k]![j] === dense[k]![j]) continue;
            changed++;
            expect(B[k]![j]).to.equal(0);
            const g = Math.floor(k / 4);
            for (let r = 4 * g; r < Math.min(4 * g + 4, K); r++) {
              if (!isZeroCode(B[r]![j]!, fp16)) expect(Math.abs(toFloat64(B[r]![j]!, fp16))).to.be.at.least(Math.abs(toFloat64(dense[k]![j]!, fp16)));
            }
          }
        }
        expect(changed).to.equal(zeroed);
      }
    });
  });

  describe('checkSparsity', () => {
    const B = { codes: fromColumns([0, 1, 1, 1], [1, 1, 0, 0]), written: (k: number, j: number) => `[${k}][${j}]` };
    it('names the column, the group and the rows of K×N B as the file has them', () => {
      expect(() => checkSparsity(B, fp16, 'b.json', false)).to.throw(
        'b.json: 2:4 sparsity violated in column 0, group 0 (rows 0-3): 3 nonzeros at rows 1, 2, 3 (values "[1][0]", "[2][0]", "[3][0]"); ' +
          'at most 2 of every aligned 4 along K may be nonzero (--prune 2:4 keeps the 2 largest)',
      );
    });
    it('with --b-layout nk: the row and the columns of the N×K file', () => {
      expect(() => checkSparsity(B, fp16, 'b.npy', true)).to.throw('b.npy: 2:4 sparsity violated in row 0, group 0 (columns 0-3): 3 nonzeros at columns 1, 2, 3');
    });
  });
});
