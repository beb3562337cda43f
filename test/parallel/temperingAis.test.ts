import { describe, expect, it } from 'vitest';
import { AbortError, DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { createLongRangeChain } from '../../src/lattice/longRangeChain.js';
import { createRbm } from '../../src/models/init.js';
import { aisLogPartitionBlocks, exactLogPartition } from '../../src/models/partition.js';
import { aisLogPartitionParallel } from '../../src/parallel/ais.js';
import { parallelTemperingParallel } from '../../src/parallel/tempering.js';
import { parallelTempering } from '../../src/sampling/parallelTempering.js';
import { usePools } from './pools.js';

describe('parallel tempering and AIS on a pool', () => {
  const pools = usePools();

  it('parallelTemperingParallel equals parallelTempering bit for bit, for 1 and 2 workers', async () => {
    const cases = [
      {
        model: createIsing2D({ L: 6 }),
        temperatures: [1.8, 2.1, 2.4, 2.8, 3.5],
        sampler: 'metropolis' as const,
      },
      { model: createIsing2D({ L: 6 }), temperatures: [2, 2.3, 2.6], sampler: 'wolff' as const },
      { model: createLongRangeChain({ N: 24, sigma: 0.5 }), temperatures: [1.5, 2, 3], sampler: undefined },
    ];
    for (const { model, temperatures, sampler } of cases) {
      const options = { samples: 30, burnIn: 10, sweepsPerExchange: 2, ...(sampler ? { sampler } : {}) };
      const rngSerial = createRng('pt');
      const serial = parallelTempering(model, temperatures, { ...options, rng: rngSerial });
      for (const pool of [pools.one, pools.two]) {
        const rng = createRng('pt');
        const stages: string[] = [];
        const parallel = await parallelTemperingParallel(pool, model, temperatures, {
          ...options,
          rng,
          onProgress: (p) => stages.push(p.stage),
        });
        expect(parallel.energy).toEqual(serial.energy);
        expect(parallel.magnetization).toEqual(serial.magnetization);
        expect(parallel.exchangeAcceptance).toEqual(serial.exchangeAcceptance);
        expect(parallel.finalSpins).toEqual(serial.finalSpins);
        expect(rng.save()).toEqual(rngSerial.save()); // the caller's generator advanced alike
        expect(stages).toContain('sampling');
      }
      // some exchanges happen, so the test covers swapped configurations
      expect(Math.max(...serial.exchangeAcceptance)).toBeGreaterThan(0);
    }
    const model = createIsing2D({ L: 4 });
    await expect(
      parallelTemperingParallel(pools.two, model, [2], { samples: 5, rng: createRng(1) }),
    ).rejects.toThrow(
      'parallelTemperingParallel: temperatures: expected an array of at least 2 temperatures',
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      parallelTemperingParallel(pools.two, model, [2, 3], {
        samples: 5,
        rng: createRng(1),
        signal: controller.signal,
      }),
    ).rejects.toThrow(AbortError);
  });

  it('aisLogPartitionParallel: same for 1 and 2 workers and as the single-thread blocks; agrees with exact log Z', async () => {
    const rbm = createRbm({
      nVisible: 8,
      nHidden: 5,
      visibleUnits: 'binary',
      hiddenUnits: 'binary',
      rng: createRng(5),
      init: { kind: 'gaussian', sigma: 0.8 },
    });
    const options = { seed: 'ais', chains: 70, chainsPerTask: 16, betas: 300 };
    const serial = aisLogPartitionBlocks(rbm, options);
    const blocks: number[] = [];
    const p1 = await aisLogPartitionParallel(pools.one, rbm, options);
    const p2 = await aisLogPartitionParallel(pools.two, rbm, {
      ...options,
      onProgress: (p) => blocks.push(p.done),
    });
    expect(p1).toEqual(serial);
    expect(p2).toEqual(serial);
    expect(serial.logWeights.length).toBe(70);
    expect(blocks.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]); // 16, 16, 16, 16, 6 chains
    // the estimate is right within its error bar (4 sigma, plus the known low bias of log Zhat)
    const exact = exactLogPartition(rbm);
    expect(Math.abs(serial.logZ - exact)).toBeLessThan(4 * serial.logZStdErr + 1e-3);
    await expect(aisLogPartitionParallel(pools.two, rbm, { ...options, chainsPerTask: 0 })).rejects.toThrow(
      'aisLogPartitionParallel: options.chainsPerTask: expected an integer >= 1, received 0',
    );
    await expect(aisLogPartitionParallel(pools.two, rbm, { ...options, seed: Number.NaN })).rejects.toThrow(
      DomainError,
    );
  });
});
