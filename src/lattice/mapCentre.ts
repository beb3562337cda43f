/**
 * The centre of a map on a periodic lattice (a torus or a ring), by circular means: the geometry shared
 * by the locality of `<v h>` maps (spectral) and the lattice gauge of a stack of RBMs (models).
 * @module
 */
import { checkAllFinite, checkShape, domainError, shapeError } from '../core/validate.js';

/**
 * Unchecked: the centre of the weight w(x) = map(x)^2 on the periodic lattice of `shape` (row-major,
 * last axis fastest), per axis in lattice units in [0, L): x_d = L atan2(sum w sin(2 pi x_d / L),
 * sum w cos(2 pi x_d / L)) / (2 pi). An axis along which the weight is uniform (both sums below 1e-14 of
 * the total weight) has no centre and gets 0. Trusts its caller: `map.length === prod(shape)`, finite,
 * not all zero. O(N dims).
 */
export function mapCentreKernel(map: ArrayLike<number>, shape: readonly number[]): number[] {
  const dims = shape.length;
  let N = 1;
  for (const L of shape) N *= L;
  let sw = 0;
  for (let i = 0; i < N; i++) sw += map[i]! ** 2;
  const strides: number[] = new Array(dims).fill(1);
  for (let d = dims - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  const centre: number[] = [];
  for (let d = 0; d < dims; d++) {
    const L = shape[d]!;
    let c = 0;
    let s = 0;
    for (let i = 0; i < N; i++) {
      const w = map[i]! ** 2;
      const angle = (2 * Math.PI * (Math.floor(i / strides[d]!) % L)) / L;
      c += w * Math.cos(angle);
      s += w * Math.sin(angle);
    }
    let x = (L * Math.atan2(s, c)) / (2 * Math.PI);
    if (x < 0) x += L;
    if (Math.abs(c) < 1e-14 * sw && Math.abs(s) < 1e-14 * sw) x = 0; // undefined centre (uniform along d)
    centre.push(x);
  }
  return centre;
}

/**
 * The centre of a map m(x) on the periodic lattice of `shape` (a ring [N] or a torus [L, L]): the circular
 * mean of the weight m(x)^2 on each axis, in lattice units in [0, L) (0 along an axis where the weight is
 * uniform). A map with a single bump at (3, 4) of an 8 x 8 torus has centre [3, 4]; a bump straddling the
 * boundary, e.g. at columns 7 and 0, has centre 7.5, not 3.5. O(N dims).
 * @throws ShapeError if map.length !== prod(shape) or the shape is not a list of sizes >= 1; DomainError
 *   for a non-finite entry or an all-zero map (no centre).
 * @example
 * ```ts
 * const map = new Float64Array(64);
 * map[3 * 8 + 7] = 1;
 * map[3 * 8 + 0] = 1; // a bump across the boundary of row 3 of an 8 x 8 torus
 * mapCentre(map, [8, 8]); // [3, 7.5]
 * ```
 */
export function mapCentre(map: ArrayLike<number>, shape: readonly number[]): number[] {
  const N = checkShape(shape as number[], 'mapCentre: shape');
  if (!map || map.length !== N)
    throw shapeError('mapCentre: map', `${N} values (prod(shape))`, `length ${map?.length}`);
  checkAllFinite(map, 'mapCentre: map');
  let any = false;
  for (let i = 0; i < N && !any; i++) any = map[i] !== 0;
  if (!any) throw domainError('mapCentre: map', 'a map with a non-zero entry', 'all zeros');
  return mapCentreKernel(map, shape);
}
