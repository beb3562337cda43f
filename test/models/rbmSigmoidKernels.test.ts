import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng.js';
import { meansKernel, sampleAndMeansKernel, sampleKernel, sigmoidStable } from '../../src/models/rbm.js';

// The binary kernels run their sigmoids on WebAssembly SIMD from 64 elements on: the same bits and the
// same uniform draws as the plain loops over sigmoidStable, on both sides of that size.
describe('binary-unit kernels (sigmoid on WebAssembly SIMD)', () => {
  for (const Ctor of [Float64Array, Float32Array]) {
    for (const n of [63, 64, 65, 5000]) {
      it(`${Ctor.name}, n = ${n}: meansKernel, sampleKernel, sampleAndMeansKernel equal the plain loops`, () => {
        const data = createRng(n);
        const x = new Ctor(n);
        for (let i = 0; i < n; i++) x[i] = (data.uniform() - 0.5) * 24;
        const plainMeans = x.map((v) => sigmoidStable(v));
        const means = x.slice();
        meansKernel('binary', means, n);
        expect(Array.from(means)).toEqual(Array.from(plainMeans));

        const r0 = createRng(3);
        const u0 = r0.uniform;
        const plainSamples = x.map((v) => (u0() < sigmoidStable(v) ? 1 : 0));
        const r1 = createRng(3);
        const samples = x.slice();
        sampleKernel('binary', samples, n, r1);
        expect(Array.from(samples)).toEqual(Array.from(plainSamples));
        expect(r1.uniform()).toBe(r0.uniform());

        const r2 = createRng(3);
        const fusedMeans = x.slice();
        const fusedSamples = new Ctor(n);
        sampleAndMeansKernel(fusedMeans, fusedSamples, n, r2);
        expect(Array.from(fusedMeans)).toEqual(Array.from(plainMeans));
        expect(Array.from(fusedSamples)).toEqual(Array.from(plainSamples));
        expect(r2.uniform()).toBe(createRng(3).fillUniform(new Float64Array(n + 1))[n]);
      });
    }
  }
  it('draws in uniform() order from a foreign Rng whose fillUniform is another stream', () => {
    // a wrapper Rng: uniform() is one stream, fillUniform deliberately a different one (reversed)
    const foreign = (seed: number): Rng => {
      const inner = createRng(seed);
      return {
        ...inner,
        fillUniform: <T extends Float32Array | Float64Array>(out: T): T => {
          inner.fillUniform(out);
          out.reverse();
          return out;
        },
      };
    };
    const n = 1000;
    const data = createRng(4);
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (data.uniform() - 0.5) * 8;
    const r0 = createRng(9);
    const plain = x.map((v) => (r0.uniform() < sigmoidStable(v) ? 1 : 0));
    const samples = x.slice();
    sampleKernel('binary', samples, n, foreign(9));
    expect(Array.from(samples)).toEqual(Array.from(plain));
    const means = x.slice();
    const fused = new Float64Array(n);
    sampleAndMeansKernel(means, fused, n, foreign(9));
    expect(Array.from(fused)).toEqual(Array.from(plain));
  });
});
