/**
 * The research scripts of docs/guide.md ("Your own experiment") run as a user runs them, as child
 * processes at their --tiny sizes (fixed seeds, a few seconds each), and their JSON says something
 * physical: the thermometer reads the Monte Carlo data at Tc and reports every flow step in range or as a
 * bound; block-RG maps sit on their blocks; no linear-decoder autoencoder beats the PCA optimum.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Estimate,
  formatReading,
  ISING_TC,
  kaufmanTorus,
  type TemperatureReading,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-research-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run examples/research/<name>.ts --tiny [args]; returns its stdout and parsed result.json. */
// biome-ignore lint/suspicious/noExplicitAny: the scripts' JSON, checked field by field below
function run(name: string, args: string[] = []): { stdout: string; result: any } {
  const out = join(dir, `${name}${args.length}`);
  const script = `examples/research/${name}.ts`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--tiny', '--out', out, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr.includes('Error') ? child.stderr : '').toBe('');
  expect(child.status).toBe(0);
  return { stdout: child.stdout, result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) };
}

describe('examples/research (tiny sizes)', () => {
  it('the scripts import only the package by its name and Node built-ins, and stay short', () => {
    for (const name of ['finite-size-flow', 'rbm-vs-block-maps', 'autoencoder-vs-pca']) {
      const text = readFileSync(`examples/research/${name}.ts`, 'utf8');
      const sources = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(sources.filter((s) => !/^(coarsegrain(\/node)?|node:[a-z/]+)$/.test(s!))).toEqual([]);
      expect(text.split('\n').length).toBeLessThan(100); // about 80 lines of code after the header
    }
  });

  it('finite-size-flow: data reads Tc; every flow reading is in range or a bound at the grid edge, printed as such', () => {
    const { stdout, result } = run('finite-size-flow');
    const [low, high] = result.config.grid as [number, number];
    expect(result.results.map((r: { L: number }) => r.L)).toEqual(result.config.sizes);
    type Size = { L: number; levels: { temperature: TemperatureReading; energy: Estimate }[] };
    for (const { L, levels } of result.results as Size[]) {
      const readings = levels.map((l) => l.temperature);
      const energy = levels.map((l) => l.energy);
      expect(readings).toHaveLength(result.config.steps + 1);
      // Step 0's energy per site is Kaufman's exact value for the L x L torus at Tc.
      expect(Math.abs(energy[0]!.mean - kaufmanTorus(L, ISING_TC).energy)).toBeLessThan(4 * energy[0]!.error);
      // Step 0 is Wolff data at Tc: Kaufman's exact energy of the L x L torus must read it as Tc.
      const data = readings[0]!;
      expect(data.inRange).toBe(true);
      if (data.inRange) expect(Math.abs(data.temperature - ISING_TC)).toBeLessThan(4 * data.error);
      readings.forEach((r, n) => {
        if (r.inRange) {
          expect(r.temperature).toBeGreaterThan(low);
          expect(r.temperature).toBeLessThan(high);
          expect(r.error).toBeGreaterThan(0);
        } else {
          expect(r.edge).toBe(r.bound === 'above' ? high : low);
          expect(Object.keys(r)).not.toContain('temperature');
        }
        expect(stdout).toContain(`L = ${L}  step ${String(n).padStart(2)}  T = ${formatReading(r)}`);
      });
    }
  });

  it('rbm-vs-block-maps: the block-average maps are local and centred on their blocks', () => {
    const { result } = run('rbm-vs-block-maps');
    const { L, b, nHidden } = result.config;
    const block = result.block;
    expect(block.centres).toHaveLength(nHidden);
    const cc = L / b;
    block.centres.forEach(([row, col]: [number, number], a: number) => {
      // block a = (Y, X) covers rows bY..bY+b-1, columns bX..bX+b-1: its centre is (bY + (b-1)/2, ...)
      const expected = [b * Math.floor(a / cc) + (b - 1) / 2, b * (a % cc) + (b - 1) / 2];
      [row, col].forEach((x, axis) => {
        const dx = Math.abs(x - expected[axis]!) % L;
        expect(Math.min(dx, L - dx)).toBeLessThan(0.5); // measured <= 0.22 at L = 8, 600 samples
      });
    });
    // Local: well inside a torus-filling map (measured 2.03 vs 3.24 at L = 8), above a bare b x b patch.
    expect(block.radiusOfGyration.mean).toBeLessThan(0.8 * result.reference.uniform);
    expect(block.radiusOfGyration.mean).toBeGreaterThan(result.reference.patch);
    expect(block.participationRatio.mean).toBeLessThan(1);
    expect(result.rbm.radiusOfGyration.count).toBe(nHidden);
  });

  /** The Baldi-Hornik bound and the covariance init, on the patches the script cut. */
  function checkAutoencoder(args: string[]): void {
    const { result } = run('autoencoder-vs-pca', args);
    const { variance, pcaOptimum, rows } = result;
    expect(pcaOptimum).toBeGreaterThan(0);
    expect(pcaOptimum).toBeLessThan(variance);
    for (const row of rows) expect(row.loss).toBeGreaterThanOrEqual(pcaOptimum * (1 - 1e-9));
    const [start, trained] = rows;
    // Covariance init: the PCA projection up to O(scale^4) (measured x1.007 synthetic, x1.000 MNIST).
    expect(start.loss).toBeLessThan(1.05 * pcaOptimum);
    expect(start.overlap).toBeGreaterThan(0.99);
    // The random init has learned something: below the variance (reconstructing the mean).
    expect(trained.loss).toBeLessThan(variance);
  }

  it('autoencoder-vs-pca on synthetic blobs: no autoencoder beats PCA; the covariance init sits on it', () => {
    checkAutoencoder([]);
  });

  const mnist = '../shared/data/mnist'; // present in the project's checkout layout, not on every machine
  it.skipIf(!existsSync(mnist))('autoencoder-vs-pca on MNIST patches (--data): the same bounds', () => {
    checkAutoencoder(['--data', mnist]);
  });
});
