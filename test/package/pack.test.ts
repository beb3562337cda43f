/**
 * The published package works: `npm pack` (which builds through `prepack`) gives a tarball that installs
 * into an empty project (`npm install <tarball>`, offline-friendly), every entry imports from plain Node
 * ESM and computes the same numbers as the sources, and a strict TypeScript consumer (strict, no
 * skipLibCheck) type-checks against the shipped declarations. Builds once; takes about a minute.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { kaufmanTorus } from '../../src/lattice/exact2d.js';
import { createIsing2D } from '../../src/lattice/ising2d.js';
import { sampleEnsemble, summarizeEnsemble } from '../../src/sampling/ensemble.js';
import { VERSION } from '../../src/version.js';

const repo = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'cg-pack-'));
const project = join(work, 'consumer');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let tarball = '';

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  run(npm, ['pack', '--pack-destination', work, '--silent'], repo);
  tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  run('mkdir', ['-p', project], work);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run(
    npm,
    [
      'install',
      join(work, tarball),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--silent',
    ],
    project,
  );
  copyFileSync(join(repo, 'test/package/fixtures/consumer.mjs'), join(project, 'consumer.mjs'));
  copyFileSync(join(repo, 'test/package/fixtures/consumer.ts'), join(project, 'consumer.ts'));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the built entries, their declarations and no tests', () => {
    const files = run('tar', ['-tzf', join(work, tarball)], work).split('\n');
    for (const entry of ['', 'kernels/', 'node/', 'parallel/'])
      for (const ext of ['js', 'd.ts']) expect(files).toContain(`package/dist/${entry}index.${ext}`);
    expect(files).toContain('package/dist/parallel/worker.js');
    expect(files.filter((f) => f.startsWith('package/test/'))).toEqual([]);
  });

  it('every entry imports from plain Node ESM and computes what the sources compute', () => {
    const out = JSON.parse(run(process.execPath, ['consumer.mjs'], project));
    const report = readFileSync(join(repo, 'test/package/api/root.txt'), 'utf8'); // the committed API report
    expect(out.version).toBe(VERSION);
    expect(out.rootNames).toBe(report.match(/^(function|const|class) /gm)!.length);
    expect(out.kaufman).toEqual(kaufmanTorus(6, 2.3));
    const ensemble = sampleEnsemble(createIsing2D({ L: 8 }), {
      temperature: 2.3,
      sampler: 'wolff',
      samples: 20,
      burnIn: 10,
      thin: 1,
      rng: createRng(5),
    });
    expect(out.energy).toEqual(summarizeEnsemble(ensemble).energy); // same seed, same bits
    expect(out.gemmKernel).toEqual([5, 11, 11, 25]); // A A^T for A = [1 2; 3 4]
    expect(out.modelRoundTrip).toBe(true);
    expect(out.pngRoundTrip).toBe(true);
    expect(out.loaders).toEqual(['loadImageFolder', 'loadMnist']);
    expect(out.gemmParallelEqualsGemm).toBe(true); // the worker runs from dist/parallel/worker.js
  }, 120_000);

  it('a strict TypeScript consumer type-checks against the shipped .d.ts (no skipLibCheck)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          typeRoots: [join(repo, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    let output = '';
    try {
      run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  }, 120_000);
});
