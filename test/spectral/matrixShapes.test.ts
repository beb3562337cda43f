/**
 * The spectral and covariance functions take a Matrix, so the shape travels with the data: swapped sizes
 * are caught wherever a second size is known (another operand, a lattice shape, an accumulator's width),
 * and the old positional calls are refused with a typed error instead of reading the numbers another way.
 * Results equal those of the same arithmetic on the flat arrays (checked entry by entry).
 */
import { describe, expect, it } from 'vitest';
import { covarianceMatrix, createCovarianceAccumulator } from '../../src/core/covariance.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { inputOutputCorrelator } from '../../src/spectral/inputOutput.js';
import { mapsLocality } from '../../src/spectral/mapsLocality.js';
import { pca, subspaceOverlap } from '../../src/spectral/pca.js';
import { hiddenIsLowPassOfVisible, weightSvd } from '../../src/spectral/weights.js';

const rng = createRng(13);
const n = 100;
const d = 16;
const X = matrix(rng.fillNormal(new Float64Array(n * d)), n, d);

describe('covariance and PCA take an n x d Matrix', () => {
  it('covarianceMatrix is d x d from X and n x n from the transposed reading; the old positional call throws', () => {
    expect(covarianceMatrix(X).d).toBe(d);
    expect(covarianceMatrix(matrix(X.data, d, n)).d).toBe(n); // what `covarianceMatrix(X, 16, 100)` meant before
    expect(() => (covarianceMatrix as (...a: unknown[]) => unknown)(X.data, n, d)).toThrow(DomainError);
    expect(() => (covarianceMatrix as (...a: unknown[]) => unknown)(X.data, n, d)).toThrow(
      /covarianceMatrix: data: expected a Matrix/,
    );
  });

  it('an Int8Array spin batch is accepted as is and gives the covariance of its float copy', () => {
    const spins = Int8Array.from({ length: 40 * 6 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const a = covarianceMatrix(matrix(spins, 40, 6));
    const b = covarianceMatrix(matrix(Float64Array.from(spins), 40, 6));
    expect(a.matrix).toEqual(b.matrix);
  });

  it('the accumulator refuses a chunk of another width (a swapped chunk)', () => {
    const acc = createCovarianceAccumulator(d);
    acc.accumulate(matrix(X.data.subarray(0, 20 * d), 20, d));
    expect(() => acc.accumulate(matrix(X.data.subarray(0, 20 * d), d, 20))).toThrow(
      new ShapeError(
        'covarianceAccumulator.accumulate: chunk.cols: expected 16 (d of the accumulator), received 20',
      ),
    );
  });

  it('pca: the old positional pca(X, d, n, k) throws; k above the column count throws', () => {
    expect(() => (pca as (...a: unknown[]) => unknown)(X.data, d, n, 3)).toThrow(
      /pca: data: expected a Matrix/,
    );
    expect(() => pca(X, d + 1)).toThrow(/pca: k: expected an integer in \[1, 16\]/);
    const p = pca(X, 3);
    expect([p.components.rows, p.components.cols]).toEqual([d, 3]);
  });
});

describe('subspaceOverlap, weightSvd, hiddenIsLowPassOfVisible and mapsLocality check the second size', () => {
  it('subspaceOverlap: a basis given as k x d instead of d x k throws', () => {
    const basis = pca(X, 3).components;
    expect(subspaceOverlap(basis, basis)).toBeCloseTo(1, 12);
    const swapped = matrix(basis.data, 3, d);
    expect(() => subspaceOverlap(basis, swapped)).toThrow(
      new ShapeError('subspaceOverlap: b.rows: expected 16 (a.rows, the dimension of the space), received 3'),
    );
  });

  it('weightSvd reads rows as visible and cols as hidden; hiddenIsLowPassOfVisible refuses the transpose', () => {
    const W = matrix(rng.fillNormal(new Float64Array(64 * 16)), 64, 16);
    const svd = weightSvd(W);
    expect([svd.nVisible, svd.nHidden]).toEqual([64, 16]);
    const shapes = { visibleShape: [8, 8], hiddenShape: [4, 4] };
    expect(hiddenIsLowPassOfVisible(W, shapes).svd.nVisible).toBe(64);
    expect(() => hiddenIsLowPassOfVisible(matrix(W.data, 16, 64), shapes)).toThrow(
      new ShapeError(
        'hiddenIsLowPassOfVisible: options.visibleShape: expected 16 sites (W.rows, nVisible), received 64 sites',
      ),
    );
  });

  it('mapsLocality: v with samples and sites swapped, or h of another sample count, throws', () => {
    const L = 4;
    const samples = 64;
    const v = matrix(
      Int8Array.from({ length: samples * L * L }, () => (rng.uniform() < 0.5 ? 1 : -1)),
      samples,
      L * L,
    );
    const h = matrix(rng.fillNormal(new Float64Array(samples * 4)), samples, 4);
    expect(mapsLocality(v, h, [L, L]).nHidden).toBe(4);
    expect(() => mapsLocality(matrix(v.data, L * L, samples), h, [L, L])).toThrow(
      new ShapeError("mapsLocality: v.cols: expected 16 (the 4 x 4 lattice's sites), received 64"),
    );
    expect(() => mapsLocality(v, matrix(h.data, 4, samples), [L, L])).toThrow(
      new ShapeError('inputOutputCorrelator: h.rows: expected 64 (v.rows, one per sample), received 4'),
    );
    // same numbers as the float copy of the spins
    const asFloat = matrix(Float64Array.from(v.data), samples, L * L);
    expect(inputOutputCorrelator(v, h).data).toEqual(inputOutputCorrelator(asFloat, h).data);
  });
});
