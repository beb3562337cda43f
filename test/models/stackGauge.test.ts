import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { mapCentre } from '../../src/lattice/mapCentre.js';
import { createRbm } from '../../src/models/init.js';
import { type RbmStack, stackUp } from '../../src/models/rbmStack.js';
import { alignStackToLattice } from '../../src/models/stackGauge.js';
import { mapLocality } from '../../src/spectral/inputOutput.js';

describe('alignStackToLattice', () => {
  it('is the same model in another gauge: outputs are permuted and flipped copies, the top layer matches up to that', () => {
    const rng = createRng(4);
    const stack: RbmStack = {
      kind: 'rbm-stack',
      version: 1,
      layers: [
        createRbm({ nVisible: 16, nHidden: 4, rng, init: { kind: 'gaussian', sigma: 0.5 } }),
        createRbm({ nVisible: 4, nHidden: 1, rng, init: { kind: 'gaussian', sigma: 0.5 } }),
      ],
    };
    const { stack: aligned } = alignStackToLattice(
      stack,
      [4, 4],
      [
        [2, 2],
        [1, 1],
      ],
    );
    const v = Float64Array.from({ length: 5 * 16 }, () => (rng.uniform() < 0.5 ? -1 : 1));
    const a = stackUp(stack, matrix(v, 5, 16)).map((m) => m.data);
    const b = stackUp(aligned, matrix(v, 5, 16)).map((m) => m.data);
    // layer 1: every aligned output column equals +- some original column
    for (let s = 0; s < 4; s++) {
      const match = [0, 1, 2, 3].some((u) =>
        [1, -1].some((sg) =>
          [0, 1, 2, 3, 4].every((r) => Math.abs(b[0]![r * 4 + s]! - sg * a[0]![r * 4 + u]!) < 1e-12),
        ),
      );
      expect(match).toBe(true);
    }
    // top layer (one unit): equal up to a global sign
    const sg = Math.sign(b[1]![0]! * a[1]![0]!);
    for (let r = 0; r < 5; r++) expect(b[1]![r]!).toBeCloseTo(sg * a[1]![r]!, 12);
    // every aligned unit has non-negative weight sum
    const l0 = aligned.layers[0]!;
    for (let s = 0; s < 4; s++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) sum += l0.weights[i * 4 + s]!;
      expect(sum).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('mapCentre', () => {
  it('is the circular mean of m^2: a bump across the boundary is centred on it, not opposite', () => {
    const map = new Float64Array(64);
    map[3 * 8 + 7] = 1;
    map[3 * 8 + 0] = 1;
    const [row, col] = mapCentre(map, [8, 8]);
    expect(row).toBeCloseTo(3, 12);
    expect(col).toBeCloseTo(7.5, 12);
    // a map uniform along an axis has no centre there: 0
    expect(mapCentre(new Float64Array(8).fill(1), [8])).toEqual([0]);
  });

  it("is mapLocality's centre bit for bit, and refuses a map with no centre", () => {
    const rng = createRng(3);
    const map = Float64Array.from({ length: 36 }, () => rng.normal());
    expect(mapCentre(map, [6, 6])).toEqual(mapLocality(map, [6, 6]).centre);
    expect(() => mapCentre(new Float64Array(4), [2, 2])).toThrow(
      /^mapCentre: map: expected a map with a non-zero entry, received/,
    );
    expect(() => mapCentre(new Float64Array(5), [2, 2])).toThrow(
      'mapCentre: map: expected 4 values (prod(shape)), received length 5',
    );
  });
});
