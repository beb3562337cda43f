/**
 * The published full-preset results (docs/results/full/eN) against the text that quotes them: every
 * committed result.json parses and is a full-preset result, report.md's "Comparisons" block is exactly the
 * formatting of its comparisons, the README "Reproduction status" table and the docs/experiments.md blocks
 * are exactly what examples/publish-status.ts writes from them (so a number edited by hand, or a result
 * rerun without `npm run results`, fails here), and the folders hold no raw data. Runs no experiment.
 * The helpers (stripping, markers, anchors, verdicts) are checked on stand-in data.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractComparisons, readBlock, upsertBlock } from '../../examples/lib/comparisons.js';
import { COMPARISONS_BLOCK, comparisonsBlock, slimResult } from '../../examples/lib/publish.js';
import {
  diagnosisAnchor,
  EXPERIMENT_CLAIMS,
  experimentBlock,
  headings,
  headlineOf,
  loadPublished,
  measuredCell,
  publishStatus,
  STATUS_BLOCK,
  verdictOf,
} from '../../examples/publish-status.js';

const RESULTS = join('docs', 'results', 'full');
const README = 'README.md';
const DOCS = join('docs', 'experiments.md');
const published = loadPublished(RESULTS);

describe('published full-preset results (docs/results/full)', () => {
  it('at least one experiment is published, each a parseable full-preset result with comparisons', () => {
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) {
      expect(p.result.id).toBe(p.id);
      expect(p.result.preset).toBe('full');
      expect(typeof p.result.seconds).toBe('number');
      expect(Object.keys(EXPERIMENT_CLAIMS)).toContain(p.id);
      expect(p.rows.length).toBeGreaterThan(0);
      for (const row of p.rows) expect(row.measured).not.toBe('-');
    }
  });

  it("each report.md quotes exactly its result.json's comparisons", () => {
    for (const p of published) {
      const report = readFileSync(join(RESULTS, p.folder, 'report.md'), 'utf8');
      const block = readBlock(report, COMPARISONS_BLOCK);
      expect(block, `${p.folder}/report.md has no comparisons block`).toBeDefined();
      expect(block!.trim()).toBe(comparisonsBlock(p.result).trim());
      // and every measured number appears in the table, row by row
      for (const row of extractComparisons(p.result)) expect(block).toContain(`| ${row.measured} |`);
    }
  });

  it('the README table and the docs/experiments.md blocks are what npm run results writes', () => {
    const expected = publishStatus({ results: RESULTS, readme: README, docs: DOCS });
    const readme = readFileSync(README, 'utf8');
    const docs = readFileSync(DOCS, 'utf8');
    expect(readBlock(readme, STATUS_BLOCK)).toBe(readBlock(expected.readme, STATUS_BLOCK));
    const table = readBlock(readme, STATUS_BLOCK)!;
    for (const p of published) {
      const line = table.split('\n').find((l) => l.startsWith(`| [${p.id}](`));
      expect(line, `README row of ${p.id}`).toBeDefined();
      expect(line).toContain(measuredCell(headlineOf(p)));
      expect(line).toContain(`| ${verdictOf(p.rows)} (`);
      const block = readBlock(docs, `results:${p.folder}`);
      expect(block, `docs/experiments.md block of ${p.id}`).toBe(
        readBlock(expected.docs, `results:${p.folder}`),
      );
      expect(block).toContain(experimentBlock(p, 'results/full').trim());
    }
  });

  it('every figure the docs show exists, and the folders hold no raw data or logs', () => {
    const docs = readFileSync(DOCS, 'utf8');
    for (const p of published) {
      const figure = /!\[[^\]]*\]\(results\/full\/(e\d+\/[\w.-]+\.svg)\)/.exec(
        readBlock(docs, `results:${p.folder}`) ?? '',
      );
      expect(figure, `${p.id} key figure`).not.toBeNull();
      expect(statSync(join(RESULTS, figure![1]!)).isFile()).toBe(true);
      // the scripts' logs stay local (docs/results/.gitignore); everything else is published
      for (const file of readdirSync(join(RESULTS, p.folder)).filter((f) => !f.endsWith('.log'))) {
        expect(file).toMatch(/\.(json|md|svg)$/);
        expect(statSync(join(RESULTS, p.folder, file)).size).toBeLessThan(1_000_000);
      }
      expect(slimResult(p.result).omitted).toEqual([]);
    }
    expect(readFileSync(join('docs', 'results', '.gitignore'), 'utf8')).toMatch(/^\*\.log$/m);
  });
});

describe('publishing helpers', () => {
  it('slimResult replaces long numeric arrays only', () => {
    const value = {
      configs: Array.from({ length: 10 }, (_, i) => i),
      series: [{ x: [1, 2, 3] }],
      names: Array.from({ length: 10 }, () => 'a'),
      bad: [1, 'NaN', 2, 3, 4, 5],
    };
    const slim = slimResult(value, 5);
    expect(slim.omitted).toEqual(['$.configs', '$.bad']);
    expect(slim.value).toEqual({
      configs: { omitted: 'raw data', length: 10 },
      series: [{ x: [1, 2, 3] }],
      names: value.names,
      bad: { omitted: 'raw data', length: 6 },
    });
  });

  it('upsertBlock replaces between markers, appends once, and refuses missing markers', () => {
    const once = upsertBlock('# r\n', 'x', 'one', true);
    expect(once).toBe('# r\n\n<!-- x:start -->\none\n<!-- x:end -->\n');
    const twice = upsertBlock(once, 'x', 'two');
    expect(readBlock(twice, 'x')).toBe('\ntwo\n');
    expect(() => upsertBlock('# r\n', 'x', 'one')).toThrow(/markers/);
  });

  it('headings get GitHub anchors (punctuation dropped, duplicates numbered)', () => {
    const md =
      '## E2: RBM vs RG through <v_i h_a>\n### Diagnosis\n## E3: flow\n```\n## not a heading\n```\n### Diagnosis\n';
    expect(headings(md).map((h) => h.anchor)).toEqual([
      'e2-rbm-vs-rg-through-v_i-h_a',
      'diagnosis',
      'e3-flow',
      'diagnosis-1',
    ]);
    expect(diagnosisAnchor(md, 'E3')).toEqual({ anchor: 'diagnosis-1', diagnosis: true });
    expect(diagnosisAnchor('## E1: a\n### Measured\n## E10: b\n', 'E1')).toEqual({
      anchor: 'e1-a',
      diagnosis: false,
    });
    expect(diagnosisAnchor(md, 'E9')).toBeUndefined();
  });

  it('verdicts count judged comparisons only', () => {
    const row = (agrees: boolean | undefined) => ({
      quantity: 'q',
      measured: '1',
      reference: '1',
      source: '',
      agrees,
    });
    expect(verdictOf([row(true), row(true), row(undefined)])).toBe('reproduced');
    expect(verdictOf([row(true), row(false)])).toBe('partly');
    expect(verdictOf([row(false), row(undefined)])).toBe('not reproduced');
    expect(verdictOf([row(undefined)])).toBe('not judged');
  });
});
