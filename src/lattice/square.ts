/**
 * Geometry of the periodic L x L square lattice (torus). Site (x, y) is index `y * L + x` (row-major,
 * x fastest); "down" is y + 1 and "up" is y - 1, both modulo L.
 * @module
 */
import { checkInteger, shapeError } from '../core/validate.js';

/**
 * Unchecked tier of `squareNeighbors`: writes the 4 neighbours of every site into `out`
 * (length 4 L^2) in the order right, left, down, up. Allocates nothing. O(L^2).
 */
export function squareNeighborsKernel(L: number, out: Int32Array): Int32Array {
  for (let y = 0; y < L; y++) {
    const row = y * L;
    const down = ((y + 1) % L) * L;
    const up = ((y + L - 1) % L) * L;
    for (let x = 0; x < L; x++) {
      const o = 4 * (row + x);
      out[o] = row + ((x + 1) % L);
      out[o + 1] = row + ((x + L - 1) % L);
      out[o + 2] = down + x;
      out[o + 3] = up + x;
    }
  }
  return out;
}

/**
 * Neighbour table of the L x L torus: `out[4 * i + d]` is the neighbour of site i in direction d =
 * 0 right (x + 1), 1 left (x - 1), 2 down (y + 1), 3 up (y - 1). For L = 2 the right and left
 * neighbours coincide (each pair is joined by two bonds, as on any torus). O(L^2) time and memory.
 * @param L - linear size, an integer >= 2.
 * @param out - optional Int32Array of length 4 L^2 to fill.
 * @returns Int32Array of length 4 L^2.
 * @throws DomainError if L is not an integer >= 2; ShapeError if `out` has the wrong length.
 * @example
 * squareNeighbors(3).subarray(0, 4); // Int32Array [1, 2, 3, 6]
 */
export function squareNeighbors(L: number, out?: Int32Array): Int32Array {
  checkInteger(L, 'squareNeighbors: L', 2, 46340);
  const n = 4 * L * L;
  if (out !== undefined && (!(out instanceof Int32Array) || out.length !== n)) {
    throw shapeError('squareNeighbors: out', `an Int32Array of length ${n}`, `length ${out?.length}`);
  }
  return squareNeighborsKernel(L, out ?? new Int32Array(n));
}
