/**
 * The lattice gauge of a stack of spin RBMs: hidden units have no positions and each can be flipped
 * without changing the model, so before a lattice observable (a nearest-neighbour energy, a thermometer)
 * reads a layer, every hidden unit is placed on a site of its layer's lattice and its sign fixed.
 * @module
 */
import { type SpreadSummary, spreadSummary } from '../core/stats.js';
import { checkAllFinite, checkShape, domainError } from '../core/validate.js';
import { mapCentreKernel } from '../lattice/mapCentre.js';
import type { RbmStack } from './rbmStack.js';
import type { Rbm } from './types.js';

/** Result of {@link alignStackToLattice}. */
export interface AlignedStack {
  /** The same model in the lattice gauge: hidden unit s of layer l sits on site s of layerShapes[l]. */
  readonly stack: RbmStack;
  /** Per layer: distance of the units' weight-map centres to their sites (input lattice units). */
  readonly centreDistance: SpreadSummary[];
}

/**
 * Fix the gauge of a stack of spin RBMs for lattice observables: the hidden units of an RBM have no
 * positions and each can be flipped (h -> -h with its weights and bias) without changing the model. For
 * every layer, place hidden unit a on the site of its layer's lattice nearest to the centre of its weight
 * map W[., a] on the layer's input lattice (greedy matching by minimum-image distance, lattice units of the
 * input), and flip it so that sum_i W_ia >= 0 (aligned with the local magnetisation). The rows of the next
 * layer's weights and its visible bias are permuted and flipped to match, so the returned stack is the same
 * model in a fixed gauge. Spin hidden units only (a flip of a binary unit is not a symmetry).
 * Use it before reading the layers of a stack with a lattice thermometer or drawing them as lattices
 * (thesis E3/E6). Cost O(sum_l n_l n_l+1 + n_l+1^2 log n_l+1), n_l the units of level l.
 * @param stack - a trained {@link RbmStack} whose layers have spin (+-1) hidden units.
 * @param inputShape - the lattice of the data, e.g. [L, L] (prod = stack.layers[0].nVisible).
 * @param layerShapes - one lattice per layer for its hidden units, e.g. [[L/2, L/2], [L/4, L/4]]
 *   (prod of shape l = stack.layers[l].nHidden); a layer's input lattice is the previous layer's shape.
 * @returns the stack in the fixed gauge (new arrays; the input is not modified) and, per layer, the
 *   distance from each weight map's centre to its assigned site ({@link SpreadSummary}, lattice units of
 *   the layer's input): small distances mean local, well-placed units.
 * @throws DomainError for a stack that is not an RbmStack, non-spin hidden units, shapes that do not
 *   match the layers, or non-finite weights.
 * @example
 * ```ts
 * import { alignStackToLattice, createIsing2D, createRng, ensembleMatrix, sampleEnsemble, trainRbmStack } from 'coarsegrain';
 * const rng = createRng(1);
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 40, rng });
 * const { stack } = trainRbmStack(ensembleMatrix(ens), [64, 16, 4], { train: { epochs: 1 }, rng });
 * const aligned = alignStackToLattice(stack, [8, 8], [[4, 4], [2, 2]]);
 * // aligned.stack: the same model with hidden unit a on lattice site a, signs along the magnetisation
 * ```
 */
export function alignStackToLattice(
  stack: RbmStack,
  inputShape: readonly number[],
  layerShapes: readonly (readonly number[])[],
): AlignedStack {
  const fn = 'alignStackToLattice';
  if (stack?.kind !== 'rbm-stack' || !Array.isArray(stack.layers) || stack.layers.length === 0)
    throw domainError(`${fn}: stack`, 'an RbmStack with at least one layer', stack);
  checkShape(inputShape as number[], `${fn}: inputShape`);
  if (!Array.isArray(layerShapes as unknown))
    throw domainError(`${fn}: layerShapes`, 'a list of shapes', layerShapes);
  layerShapes.forEach((s, l) => {
    checkShape(s as number[], `${fn}: layerShapes[${l}]`);
  });
  if (layerShapes.length !== stack.layers.length)
    throw domainError(`${fn}: layerShapes`, `${stack.layers.length} shapes`, layerShapes.length);
  const layers: Rbm[] = [];
  const distances: SpreadSummary[] = [];
  // permutation and signs applied to the previous layer's hidden units (rows of this layer)
  let rowSource: Int32Array | null = null;
  let rowSign: Float64Array | null = null;
  stack.layers.forEach((layer, l) => {
    if (layer.hiddenUnits !== 'spin')
      throw domainError(`${fn}: stack.layers[${l}].hiddenUnits`, "'spin'", layer.hiddenUnits);
    const vShape = l === 0 ? inputShape : layerShapes[l - 1]!;
    const hShape = layerShapes[l]!;
    const nV = layer.nVisible;
    const nH = layer.nHidden;
    if (vShape.reduce((a, b) => a * b, 1) !== nV || hShape.reduce((a, b) => a * b, 1) !== nH)
      throw domainError(`${fn}: layerShapes[${l}]`, `shapes of ${nV} -> ${nH} units`, hShape);
    checkAllFinite(layer.weights, `${fn}: stack.layers[${l}].weights`);
    // rows permuted/flipped as the previous layer's hidden units
    const W = new Float64Array(nV * nH);
    const vb = new Float64Array(nV);
    for (let i = 0; i < nV; i++) {
      const src = rowSource ? rowSource[i]! : i;
      const sg = rowSign ? rowSign[i]! : 1;
      for (let a = 0; a < nH; a++) W[i * nH + a] = sg * layer.weights[src * nH + a]!;
      vb[i] = sg * layer.visibleBias[src]!;
    }
    // centre of each hidden unit's weight map, in input lattice units
    const dims = vShape.length;
    const centres: number[][] = [];
    const signs = new Float64Array(nH);
    const column = new Float64Array(nV);
    for (let a = 0; a < nH; a++) {
      let sum = 0;
      for (let i = 0; i < nV; i++) {
        column[i] = W[i * nH + a]!;
        sum += column[i]!;
      }
      signs[a] = sum >= 0 ? 1 : -1;
      let any = false;
      for (let i = 0; i < nV; i++) if (column[i] !== 0) any = true;
      centres.push(any ? mapCentreKernel(column, vShape) : vShape.map(() => 0));
    }
    // target position of each hidden site in input units
    const hStrides: number[] = new Array(dims).fill(1);
    for (let d = dims - 2; d >= 0; d--) hStrides[d] = hStrides[d + 1]! * hShape[d + 1]!;
    const target = (s: number, d: number): number => {
      const x = Math.floor(s / hStrides[d]!) % hShape[d]!;
      const scale = vShape[d]! / hShape[d]!;
      return (x + 0.5) * scale - 0.5;
    };
    const pairs: { a: number; s: number; d: number }[] = [];
    for (let a = 0; a < nH; a++)
      for (let s = 0; s < nH; s++) {
        let d2 = 0;
        for (let d = 0; d < dims; d++) {
          const L = vShape[d]!;
          let delta = Math.abs(centres[a]![d]! - target(s, d)) % L;
          if (delta > L / 2) delta = L - delta;
          d2 += delta * delta;
        }
        pairs.push({ a, s, d: Math.sqrt(d2) });
      }
    pairs.sort((p, q) => p.d - q.d || p.a - q.a || p.s - q.s);
    const unitAt = new Int32Array(nH).fill(-1);
    const used = new Uint8Array(nH);
    const dist: number[] = [];
    for (const p of pairs) {
      if (used[p.a] || unitAt[p.s] !== -1) continue;
      used[p.a] = 1;
      unitAt[p.s] = p.a;
      dist.push(p.d);
    }
    const W2 = new Float64Array(nV * nH);
    const hb = new Float64Array(nH);
    const siteSign = new Float64Array(nH);
    for (let s = 0; s < nH; s++) {
      const a = unitAt[s]!;
      const sg = signs[a]!;
      siteSign[s] = sg;
      hb[s] = sg * layer.hiddenBias[a]!;
      for (let i = 0; i < nV; i++) W2[i * nH + s] = sg * W[i * nH + a]!;
    }
    layers.push({
      kind: 'rbm',
      version: 1,
      visibleUnits: layer.visibleUnits,
      hiddenUnits: layer.hiddenUnits,
      nVisible: nV,
      nHidden: nH,
      weights: W2,
      visibleBias: vb,
      hiddenBias: hb,
      ...(layer.visibleSigma ? { visibleSigma: Float64Array.from(layer.visibleSigma) } : {}),
    });
    distances.push(spreadSummary(dist));
    rowSource = unitAt;
    rowSign = siteSign;
  });
  return { stack: { kind: 'rbm-stack', version: 1, layers }, centreDistance: distances };
}
