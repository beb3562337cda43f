import { describe, expect, it } from 'vitest';
import { matrix } from '../../src/core/tensor.js';
import { mapsLocality } from '../../src/spectral/mapsLocality.js';

/** n = N rows: row r is the one-hot configuration of site r plus `offset` everywhere. */
function oneHot(N: number, offset: number): Float64Array {
  const v = new Float64Array(N * N).fill(offset);
  for (let r = 0; r < N; r++) v[r * N + r]! += 1;
  return v;
}

describe('mapsLocality', () => {
  const L = 6;
  const N = L * L;
  const sites = [0, 7, 20, 35]; // outputs h_a = v at these sites: <v_j h_a> is a delta at site a on a background
  const hOf = (v: Float64Array) => {
    const h = new Float64Array(N * sites.length);
    for (let r = 0; r < N; r++)
      sites.forEach((s, a) => {
        h[r * sites.length + a] = v[r * N + s]!;
      });
    return matrix(h, N, sites.length);
  };

  it('a delta map is centred on its site with radius 0 and participation 1/N', () => {
    const v = oneHot(N, 0);
    const m = mapsLocality(matrix(v, N, N), hOf(v), [L, L]);
    expect(m.nHidden).toBe(4);
    m.perMap.forEach((p, a) => {
      expect(p.centre[0]).toBeCloseTo(Math.floor(sites[a]! / L), 12);
      expect(p.centre[1]).toBeCloseTo(sites[a]! % L, 12);
      expect(p.radiusOfGyration).toBeCloseTo(0, 12);
      expect(p.participationRatio).toBeCloseTo(1 / N, 12);
    });
    expect(m.radiusOfGyration).toMatchObject({ mean: expect.closeTo(0, 12), count: 4 });
  });

  it("'min' removes a uniform background exactly; without it the same maps look spread over the torus", () => {
    // <v_j h_a> = (delta_{j, s_a} + 2 c + N c^2) / N with c = 1: a delta on a uniform background
    const v = oneHot(N, 1);
    const raw = mapsLocality(matrix(v, N, N), hOf(v), [L, L]);
    const min = mapsLocality(matrix(v, N, N), hOf(v), [L, L], { baseline: 'min' });
    expect(raw.radiusOfGyration.mean).toBeGreaterThan(2); // close to the torus-filling sqrt((L^2 - 1) / 6) = 2.4
    expect(min.radiusOfGyration.mean).toBeCloseTo(0, 12);
    expect(min.participationRatio.mean).toBeCloseTo(1 / N, 12);
    // the raw maps are returned either way (the baseline only enters the measures)
    expect(min.maps).toEqual(raw.maps);
  });

  it('refuses a bad baseline or connected flag in the contract form', () => {
    const v = oneHot(N, 0);
    expect(() => mapsLocality(matrix(v, N, N), hOf(v), [L, L], { baseline: 'max' as never })).toThrow(
      /^mapsLocality: options\.baseline: expected one of "none", "min", received/,
    );
    expect(() => mapsLocality(matrix(v, N, N), hOf(v), [L, L], { connected: 1 as never })).toThrow(
      /^mapsLocality: options\.connected: expected a boolean, received 1$/,
    );
  });
});
