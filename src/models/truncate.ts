/**
 * Truncation of trained models to their top-k singular modes (thesis E10: how many modes carry a model?):
 * the rank-k product of a weight matrix's singular factors, an RBM with its weights truncated, and a
 * one-layer autoencoder truncated to k modes of its end-to-end map (linear code) or of each weight matrix.
 * Models cannot see the spectral layer, so the factors are plain data: `weightSvd` of spectral returns
 * exactly this shape ({@link WeightFactors}).
 * @module
 */
import { symmetricEigen, thinSvd } from '../core/decompose.js';
import { orthonormalColumns } from '../core/gramSchmidt.js';
import type { Matrix } from '../core/tensor.js';
import { checkInteger, checkObject, domainError, shapeError } from '../core/validate.js';
import { type Autoencoder, checkAutoencoder, cloneAutoencoder } from './autoencoder.js';
import { cloneRbm } from './rbm.js';
import type { Rbm } from './types.js';

/**
 * The thin SVD W = U diag(s) V^T of an nVisible x nHidden weight matrix as plain factors (what
 * `weightSvd` of the spectral layer returns).
 */
export interface WeightFactors {
  /** Singular values s, descending (length rank). */
  readonly values: Float64Array;
  /** U, nVisible x rank row-major: column a is the left (visible) singular vector a. */
  readonly visible: Float64Array;
  /** V, nHidden x rank row-major: column a is the right (hidden) singular vector a. */
  readonly hidden: Float64Array;
  readonly nVisible: number;
  readonly nHidden: number;
  /** Number of singular triplets, min(nVisible, nHidden) for a thin SVD. */
  readonly rank: number;
}

/**
 * The rank-k product W_k = sum_{a<k} s_a u_a v_a^T of singular factors, as a new nVisible x nHidden
 * row-major array (k is capped at the rank; k = 0 gives zeros). Unchecked: trusts the factors' shapes.
 * Cost O(nVisible nHidden k).
 */
export function lowRankWeights(svd: WeightFactors, k: number): Float64Array {
  const { nVisible: m, nHidden: n, rank, visible: u, hidden: v, values: s } = svd;
  const out = new Float64Array(m * n);
  const kk = Math.max(0, Math.min(k, rank));
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let a = 0; a < kk; a++) t += u[i * rank + a]! * s[a]! * v[j * rank + a]!;
      out[i * n + j] = t;
    }
  return out;
}

/**
 * The RBM with weights W_k = sum_{a<k} s_a u_a v_a^T (its top-k singular modes) and the biases
 * unchanged. k = 0 gives the bias-only model, k >= rank reproduces W up to rounding. Measure the truncated
 * models by their held-out `logLikelihood` (log Z from `exactLogPartition` or `aisLogPartition`) to find
 * how many modes carry the RBM. Returns a new model. Cost O(nV nH k).
 * @param rbm - the trained RBM (Float64 weights, nVisible x nHidden).
 * @param svd - its weights' singular factors: `weightSvd(matrix(rbm.weights, rbm.nVisible, rbm.nHidden))`
 *   (compute them once, truncate for every k).
 * @param k - modes kept, an integer >= 0 (above the rank: all of them).
 * @throws ShapeError if the factors are not those of an nVisible x nHidden matrix; DomainError for
 *   factors that are not Float64Arrays or a bad k.
 * @example
 * ```ts
 * import { createRbm, createRng, matrix, truncatedRbm, weightSvd } from 'coarsegrain';
 * const rbm = createRbm({ nVisible: 16, nHidden: 8, rng: createRng(1) });
 * const svd = weightSvd(matrix(rbm.weights, rbm.nVisible, rbm.nHidden));
 * const top2 = truncatedRbm(rbm, svd, 2); // W_2 = s_0 u_0 v_0^T + s_1 u_1 v_1^T, same biases
 * ```
 */
export function truncatedRbm(rbm: Rbm<Float64Array>, svd: WeightFactors, k: number): Rbm<Float64Array> {
  const fn = 'truncatedRbm';
  checkObject(svd, `${fn}: svd`, 'singular factors (from weightSvd)');
  if (svd.nVisible !== rbm?.nVisible || svd.nHidden !== rbm?.nHidden)
    throw shapeError(
      `${fn}: svd`,
      `the SVD of a ${rbm?.nVisible} x ${rbm?.nHidden} weight matrix`,
      `${svd.nVisible} x ${svd.nHidden}`,
    );
  for (const key of ['values', 'visible', 'hidden'] as const)
    if (!(svd[key] instanceof Float64Array))
      throw domainError(`${fn}: svd.${key}`, 'a Float64Array', svd[key]);
  checkInteger(svd.rank, `${fn}: svd.rank`, 0);
  checkInteger(k, `${fn}: k`, 0);
  const out = cloneRbm(rbm);
  out.weights.set(lowRankWeights(svd, k));
  return out;
}

/** The thin SVD of a rows x cols row-major weight array as {@link WeightFactors} (as `weightSvd`). */
function factors(w: Float64Array, rows: number, cols: number): WeightFactors {
  const svd = thinSvd({ data: w, rows, cols });
  return {
    values: svd.s,
    visible: svd.u.data,
    hidden: svd.v.data,
    nVisible: rows,
    nHidden: cols,
    rank: svd.rank,
  };
}

/**
 * The trained network truncated to k modes, for k = 1..rank: one model per k. With a linear code the
 * end-to-end map M = W_enc W_dec is truncated (encoder columns E_c, decoder rows D_c, the encoder bias
 * folded into the decoder's: the same affine map at k = rank). That is invariant under W_enc -> W_enc A,
 * W_dec -> A^-1 W_dec, which leaves a linear network unchanged; truncating W_enc and W_dec separately is
 * not, and paired the encoder's weak directions with the decoder's strong ones (a linear MNIST network
 * kept 0.0936 of a 0.094 variance at k = 8 that way, 0.048 end to end).
 *
 * Without `rows` the modes are M's singular modes in order of singular value. With `rows` (n x d, the
 * training rows) they are ordered by the variance of the reconstruction they carry: the eigenvectors V of
 * Z^T Z, Z = (X - mean) P S, rotate M = P S Q^T into E = P S V, D = Q V, and a dropped mode stays at its
 * value at the data mean (its constant output added to the decoder bias). A converged linear network is a
 * projection with all singular values 1, so the singular-value order is arbitrary there (a planted rank-4
 * set read k = 32 of 32 after 45 epochs); the data order makes its rank-k truncation the k-component PCA.
 * With a nonlinear code there is no such continuous symmetry and both matrices are truncated to their
 * own top-k singular modes (biases unchanged; `rows` unused). Cost O(d h^2), plus O(n d h) with rows.
 * @param model - a trained untied one-layer autoencoder [d, h] (Float64 weights).
 * @param rows - optional n x d {@link Matrix} of training rows, to order the modes of a linear code by
 *   the variance they carry.
 * @returns min(d, h) new models, entry k - 1 keeping k modes (the input is not modified); measure them
 *   with `reconstructionLoss` to find how many modes the model needs.
 * @throws DomainError unless the model is an untied one-layer autoencoder; ShapeError when `rows` is not
 *   n x d.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, reconstructionLoss, truncatedAutoencoders } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], activations: 'linear', rng: createRng(1) }); // trained in practice
 * const data = matrix(createRng(2).fillNormal(new Float64Array(50 * 16)), 50, 16);
 * // k = 1..4 modes kept, ordered by the variance they carry on `data`
 * const losses = truncatedAutoencoders(ae, data).map((m) => reconstructionLoss(m, data));
 * ```
 */
export function truncatedAutoencoders(
  model: Autoencoder<Float64Array>,
  rows?: Matrix,
): Autoencoder<Float64Array>[] {
  checkAutoencoder(model, 'truncatedAutoencoders: model');
  if (model.layers.length !== 2 || model.tied)
    throw domainError('truncatedAutoencoders: model', 'an untied one-layer autoencoder [d, h]', model.layers);
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const rank = Math.min(d, h);
  const out: Autoencoder<Float64Array>[] = [];
  if (model.activations[0] === 'linear') {
    const { left, values, right, rank: r } = endToEndSvd(model);
    const bias = new Float64Array(d); // b_enc W_dec + b_dec
    for (let j = 0; j < d; j++) {
      let t = model.biases[1]![j]!;
      for (let a = 0; a < h; a++) t += model.biases[0]![a]! * model.weights[1]![a * d + j]!;
      bias[j] = t;
    }
    // encoder columns E = P S and decoder rows D = Q (d x r each), rotated by V with data
    let enc: Float64Array = new Float64Array(d * r);
    let dec: Float64Array = right;
    for (let i = 0; i < d; i++) for (let c = 0; c < r; c++) enc[i * r + c] = left[i * r + c]! * values[c]!;
    // value of each mode's code at the data mean (0 without rows: modes dropped as before)
    const atMean = new Float64Array(r);
    if (rows !== undefined) {
      if (rows === null || typeof rows !== 'object' || rows.cols !== d || !(rows.rows >= 1))
        throw shapeError(
          'truncatedAutoencoders: rows',
          `a matrix of rows x ${d}`,
          `${rows?.rows} x ${rows?.cols}`,
        );
      const data = rows.data;
      const n = rows.rows;
      const mean = new Float64Array(d);
      for (let q = 0; q < n; q++) for (let i = 0; i < d; i++) mean[i]! += data[q * d + i]! / n;
      const z = new Float64Array(n * r); // (X - mean) E
      const xc = new Float64Array(d);
      for (let q = 0; q < n; q++) {
        for (let i = 0; i < d; i++) xc[i] = data[q * d + i]! - mean[i]!;
        for (let i = 0; i < d; i++) {
          const xi = xc[i]!;
          if (xi === 0) continue;
          for (let c = 0; c < r; c++) z[q * r + c]! += xi * enc[i * r + c]!;
        }
      }
      const g = new Float64Array(r * r); // Z^T Z
      for (let q = 0; q < n; q++)
        for (let a = 0; a < r; a++) {
          const za = z[q * r + a]!;
          for (let b = 0; b < r; b++) g[a * r + b]! += za * z[q * r + b]!;
        }
      const v = symmetricEigen(g, r).vectors;
      const rotate = (m: Float64Array): Float64Array => {
        const o = new Float64Array(d * r);
        for (let i = 0; i < d; i++)
          for (let a = 0; a < r; a++) {
            const mia = m[i * r + a]!;
            for (let c = 0; c < r; c++) o[i * r + c]! += mia * v[a * r + c]!;
          }
        return o;
      };
      enc = rotate(enc);
      dec = rotate(dec);
      for (let c = 0; c < r; c++) {
        let t = 0;
        for (let i = 0; i < d; i++) t += mean[i]! * enc[i * r + c]!;
        atMean[c] = t;
      }
    }
    for (let k = 1; k <= rank; k++) {
      const m = cloneAutoencoder(model);
      m.weights[0]!.fill(0);
      m.weights[1]!.fill(0);
      m.biases[0]!.fill(0);
      m.biases[1]!.set(bias);
      for (let c = 0; c < Math.min(k, r); c++)
        for (let i = 0; i < d; i++) {
          m.weights[0]![i * h + c] = enc[i * r + c]!;
          m.weights[1]![c * d + i] = dec[i * r + c]!;
        }
      for (let c = Math.min(k, r); c < r; c++)
        for (let i = 0; i < d; i++) m.biases[1]![i]! += atMean[c]! * dec[i * r + c]!;
      out.push(m);
    }
    return out;
  }
  const enc = factors(model.weights[0]!, d, h);
  const dec = factors(model.weights[1]!, h, d);
  for (let k = 1; k <= rank; k++) {
    const m = cloneAutoencoder(model);
    m.weights[0]!.set(lowRankWeights(enc, k));
    m.weights[1]!.set(lowRankWeights(dec, k));
    out.push(m);
  }
  return out;
}

/**
 * SVD of the end-to-end linear map M = W_enc W_dec (d x d) of a one-layer autoencoder, M = P S Q^T with
 * P = left (d x rank), Q = right (d x rank), rank <= h. Via M = Q_e (Q_e^T W_enc) W_dec with Q_e an
 * orthonormal basis of the encoder's columns: O(d h^2).
 */
function endToEndSvd(model: Autoencoder<Float64Array>): {
  left: Float64Array;
  values: Float64Array;
  right: Float64Array;
  rank: number;
} {
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const q = orthonormalColumns(model.weights[0]!, d, h, 'endToEndModes: encoder weights');
  const r = new Float64Array(h * h); // Q^T W_enc
  for (let i = 0; i < d; i++)
    for (let a = 0; a < h; a++) {
      const qa = q[i * h + a]!;
      for (let b = 0; b < h; b++) r[a * h + b]! += qa * model.weights[0]![i * h + b]!;
    }
  const bmat = new Float64Array(h * d); // (Q^T W_enc) W_dec
  for (let a = 0; a < h; a++)
    for (let b = 0; b < h; b++) {
      const rab = r[a * h + b]!;
      for (let j = 0; j < d; j++) bmat[a * d + j]! += rab * model.weights[1]![b * d + j]!;
    }
  const svd = thinSvd({ data: bmat, rows: h, cols: d });
  const left = new Float64Array(d * svd.rank);
  for (let i = 0; i < d; i++)
    for (let c = 0; c < svd.rank; c++) {
      let t = 0;
      for (let a = 0; a < h; a++) t += q[i * h + a]! * svd.u.data[a * svd.rank + c]!;
      left[i * svd.rank + c] = t;
    }
  return { left, values: svd.s, right: svd.v.data, rank: svd.rank };
}

/**
 * The top-k left singular vectors (d x k) of the end-to-end linear map M = W_enc W_dec (d x d) of a
 * one-layer autoencoder (exact for linear codes, the linearisation otherwise). Unlike the encoder's own
 * singular vectors it does not depend on how a mode's scale is split between encoder and decoder.
 * Cost O(d h^2).
 */
export function endToEndModes(model: Autoencoder<Float64Array>, k: number): Float64Array {
  const d = model.layers[0]!;
  const { left, rank } = endToEndSvd(model);
  const out = new Float64Array(d * k);
  for (let i = 0; i < d; i++)
    for (let c = 0; c < Math.min(k, rank); c++) out[i * k + c] = left[i * rank + c]!;
  return out;
}
