/**
 * Write the published reproduction status from the committed full-preset results (docs/results/full/eN):
 *
 * - README.md, between `<!-- reproduction-status:start -->` and `<!-- reproduction-status:end -->`: one row
 *   per experiment with the thesis claim, the headline measured value (full preset, ± error) and a verdict
 *   (reproduced / partly / not reproduced) linking to the experiment's "Diagnosis" subsection of
 *   docs/experiments.md (or to its section while it has none);
 * - docs/experiments.md, between `<!-- results:eN:start -->` and `<!-- results:eN:end -->` in each
 *   experiment's section: its key figure and its full-preset wall time (with the machine load of that run).
 *
 *   npm run results                       # after `npm run reproduce -- --full --out docs/results/full`
 *   npx tsx examples/publish-status.ts --results docs/results/full --readme README.md --docs docs/experiments.md
 *   npx tsx examples/publish-status.ts --check   # exit 1 when README/docs differ from what would be written
 *
 * Every number written is the formatting (examples/lib/comparisons.ts) of a number in a result.json, and
 * test/examples/publishedResults.test.ts checks that README, report.md and result.json agree.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable, parseCli } from './lib/cli.js';
import {
  type ComparisonRow,
  escapeCell,
  extractComparisons,
  readBlock,
  upsertBlock,
} from './lib/comparisons.js';
import { type RunInfo, readRunInfo } from './lib/publish.js';

/** Marker name of the README table. */
export const STATUS_BLOCK = 'reproduction-status';

/** What the thesis claims in each experiment, its key figure and the comparison shown in the README. */
export interface ExperimentClaim {
  readonly claim: string;
  /** File name of the key figure in docs/results/full/eN (the first SVG there when absent). */
  readonly figure: string;
  /** The comparison whose value the README shows: the first whose quantity matches (else the first). */
  readonly headline: RegExp;
}

/** The thesis claim of each experiment (docs/experiments.md, "Published reference"). */
export const EXPERIMENT_CLAIMS: Readonly<Record<string, ExperimentClaim>> = {
  E1: {
    claim:
      'The RBM flow of the 2D Ising model goes to T ~ Tc; its fixed point matches Monte Carlo at short distance.',
    figure: 'temperature-flow.svg',
    headline: /fixed point|Tc/i,
  },
  E2: {
    claim: 'RBM input-output maps <v_i h_a> are local, like the 2 x 2 block-spin RG maps.',
    figure: 'maps-rbm.svg',
    headline: /^RBM maps: radius/i,
  },
  E3: {
    claim: 'Stacked RBMs on the 2D Ising model flow like the block-spin RG (Tc unstable).',
    figure: 'flow-rbm.svg',
    headline: /RBM/i,
  },
  E4: {
    claim:
      'Long-range ring: Tc below the mean-field bound, Delta_sigma = (1 - sigma)/2, mean-field Binder cumulant for sigma < 1/2.',
    figure: 'tc.svg',
    headline: /Delta_sigma/i,
  },
  E5: {
    claim: 'A single RBM on the long-range chain misses Delta_sigma = (1 - sigma)/2 even at short distance.',
    figure: 'temperature-flow.svg',
    headline: /Delta_sigma/i,
  },
  E6: {
    claim: 'Long-range chain: stacked RBMs flow to low T, the RG to high T.',
    figure: 'flow-rbm.svg',
    headline: /RBM/i,
  },
  E7: {
    claim:
      'Leading singular vectors of the weights are low-pass Fourier modes; a handful of modes are relevant.',
    figure: 'lowpass.svg',
    headline: /Fourier power/i,
  },
  E8: {
    claim: 'Trained weights strongly overlap the top-k covariance subspace (RBMs and autoencoders).',
    figure: 'overlap.svg',
    headline: /overlap|:/i,
  },
  E9: {
    claim:
      'Covariance initialisation trains 4x to 100x faster; the untrained covariance network is almost as good as a trained one.',
    figure: 'speedup.svg',
    headline: /speed/i,
  },
  E10: {
    claim: 'A handful of modes carry the model; reconstructions remove noise.',
    figure: 'noise.svg',
    headline: /mode|noise/i,
  },
  E11: {
    claim:
      'Future work (no published claim): supervised classifiers through the same lens find the relevant subspace with fewer modes than reconstruction needs.',
    figure: 'truncation-1.svg',
    headline: /planted subspace|fewer modes/i,
  },
};

/** One published experiment: its folder's result.json, formatted comparisons, run.json and figures. */
export interface Published {
  readonly id: string;
  readonly number: number;
  /** Folder name, e.g. 'e4'. */
  readonly folder: string;
  readonly result: Record<string, unknown>;
  readonly rows: ComparisonRow[];
  readonly run: RunInfo | undefined;
  readonly figures: string[];
}

/** The published experiments in `dir` (folders eN holding result.json), sorted by N. */
export function loadPublished(dir: string): Published[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, match: /^e(\d+)$/.exec(name) }))
    .filter((x): x is { name: string; match: RegExpExecArray } => x.match !== null)
    .filter(({ name }) => existsSync(join(dir, name, 'result.json')))
    .map(({ name, match }) => {
      const folder = join(dir, name);
      const result = JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')) as Record<string, unknown>;
      return {
        id: `E${Number(match[1])}`,
        number: Number(match[1]),
        folder: name,
        result,
        rows: extractComparisons(result),
        run: readRunInfo(folder),
        figures: readdirSync(folder)
          .filter((f) => f.endsWith('.svg'))
          .sort(),
      };
    })
    .sort((a, b) => a.number - b.number);
}

/** Verdict over the judged comparisons: all agree, some, none; 'not judged' when none carries a verdict. */
export type Verdict = 'reproduced' | 'partly' | 'not reproduced' | 'not judged';

/** The verdict of a list of comparisons (unjudged ones, e.g. out-of-range readings, are left out). */
export function verdictOf(rows: readonly ComparisonRow[]): Verdict {
  const judged = rows.filter((r) => r.agrees !== undefined);
  if (judged.length === 0) return 'not judged';
  const yes = judged.filter((r) => r.agrees).length;
  return yes === judged.length ? 'reproduced' : yes === 0 ? 'not reproduced' : 'partly';
}

/** The comparison shown in the README for an experiment. */
export function headlineOf(p: Published): ComparisonRow | undefined {
  const claim = EXPERIMENT_CLAIMS[p.id];
  return (claim && p.rows.find((r) => claim.headline.test(r.quantity))) ?? p.rows[0];
}

/** A heading of a Markdown file with its GitHub anchor (duplicates numbered -1, -2, ... as GitHub does). */
export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
}

/** The headings of a Markdown text (outside code fences) with GitHub's anchors. */
export function headings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const out: Heading[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fence = !fence;
    const m = fence ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[2]!;
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ level: m[1]!.length, text, anchor: n === 0 ? base : `${base}-${n}` });
  }
  return out;
}

/**
 * The anchor of experiment `id`'s "Diagnosis" subsection in docs/experiments.md, else of its section
 * ('## EN: ...'); undefined when the experiment has no section.
 */
export function diagnosisAnchor(
  experimentsMd: string,
  id: string,
): { anchor: string; diagnosis: boolean } | undefined {
  const hs = headings(experimentsMd);
  const i = hs.findIndex((h) => h.level === 2 && new RegExp(`^${id}\\b`).test(h.text));
  if (i < 0) return undefined;
  for (let j = i + 1; j < hs.length && hs[j]!.level > 2; j++)
    if (/diagnosis/i.test(hs[j]!.text)) return { anchor: hs[j]!.anchor, diagnosis: true };
  return { anchor: hs[i]!.anchor, diagnosis: false };
}

/** The README's measured cell for an experiment: 'quantity: measured (reference)'. */
export function measuredCell(row: ComparisonRow | undefined): string {
  if (!row) return 'no comparisons';
  return `${escapeCell(row.quantity)}: ${row.measured} (reference: ${escapeCell(row.reference)})`;
}

/** The README's verdict cell: verdict, agreeing count, link to the diagnosis (or the section). */
export function verdictCell(p: Published, experimentsMd: string, docsLink: string): string {
  const verdict = verdictOf(p.rows);
  const judged = p.rows.filter((r) => r.agrees !== undefined);
  const count = `${judged.filter((r) => r.agrees).length}/${judged.length} agree`;
  const target = diagnosisAnchor(experimentsMd, p.id);
  const link =
    target === undefined
      ? ''
      : target.diagnosis
        ? `, [diagnosis](${docsLink}#${target.anchor})`
        : verdict === 'reproduced'
          ? `, [details](${docsLink}#${target.anchor})`
          : `, [section](${docsLink}#${target.anchor}) (no diagnosis written yet)`;
  return `${verdict} (${count}${link})`;
}

/** The README "Reproduction status" block (table and notes) for the published experiments. */
export function statusMarkdown(
  published: readonly Published[],
  experimentsMd: string,
  paths: { docsLink: string; resultsLink: string },
): string {
  const ids = Object.keys(EXPERIMENT_CLAIMS);
  const rows = ids.map((id) => {
    const p = published.find((x) => x.id === id);
    const claim = escapeCell(EXPERIMENT_CLAIMS[id]!.claim);
    if (!p) {
      const costs = headings(experimentsMd).find((h) => /published full-preset results/i.test(h.text));
      const why = costs ? ` ([status and cost](${paths.docsLink}#${costs.anchor}))` : '';
      return [id, claim, `full preset not published yet${why}`, '-'];
    }
    return [
      `[${id}](${paths.resultsLink}/${p.folder}/report.md)`,
      claim,
      measuredCell(headlineOf(p)),
      verdictCell(p, experimentsMd, paths.docsLink),
    ];
  });
  return [
    '',
    'Generated by `npm run results` from the committed full-preset results in',
    `[${paths.resultsLink}](${paths.resultsLink}) (seed 1); do not edit by hand. The measured value is one`,
    "headline comparison per experiment; each report.md lists all of them. The verdict counts the experiment's",
    'own judged comparisons: all agree (reproduced), some (partly), none (not reproduced).',
    '',
    markdownTable(['experiment', 'thesis claim', 'measured (full preset, ± error)', 'verdict'], rows),
    '',
  ].join('\n');
}

/** '1234 s' or '12.3 min (740 s)'. */
function duration(seconds: number): string {
  return seconds >= 120
    ? `${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`
    : `${seconds.toFixed(1)} s`;
}

/** The docs/experiments.md block of one experiment: key figure, wall time, links. */
export function experimentBlock(p: Published, resultsLink: string): string {
  const claim = EXPERIMENT_CLAIMS[p.id];
  const figure = claim && p.figures.includes(claim.figure) ? claim.figure : p.figures[0];
  const run = p.run;
  const resultSeconds = typeof p.result.seconds === 'number' ? p.result.seconds : Number.NaN;
  const wall = run ? run.seconds : resultSeconds;
  const shared = run !== undefined && Math.max(run.loadBefore[0] ?? 0, run.loadAfter[0] ?? 0) > run.cpus;
  const load = run
    ? ` Load average (1 min) ${run.loadBefore[0]?.toFixed(2)} before and ${run.loadAfter[0]?.toFixed(2)} after, on ${run.cpus} CPUs` +
      `${run.cpuSeconds !== undefined ? `; CPU time ${run.cpuSeconds.toFixed(0)} s (all threads)` : ''}.` +
      (shared
        ? ' The machine was shared with other jobs during this run, so the wall time is an upper bound.'
        : '')
    : '';
  const date = run ? run.finished.slice(0, 10) : 'date not recorded';
  const judged = p.rows.filter((r) => r.agrees !== undefined);
  const lines = [
    '',
    `### Full preset: published result`,
    '',
    figure ? `![${p.id} key figure: ${figure}](${resultsLink}/${p.folder}/${figure})` : 'No figure written.',
    '',
    `Wall time ${Number.isFinite(wall) ? duration(wall) : 'not recorded'}; preset ${String(p.result.preset)}, seed ${String(p.result.seed)}, ${date}.${load}` +
      ` ${judged.filter((r) => r.agrees).length}/${judged.length} judged comparisons agree: ` +
      `[report.md](${resultsLink}/${p.folder}/report.md), [result.json](${resultsLink}/${p.folder}/result.json).` +
      ' Written by `npm run results`.',
    '',
  ];
  return lines.join('\n');
}

/** Insert or replace experiment `id`'s results block in docs/experiments.md (before its next '###'-or-'##' after the intro). */
export function upsertExperimentBlock(experimentsMd: string, id: string, body: string): string {
  const name = `results:${id.toLowerCase()}`;
  if (readBlock(experimentsMd, name) !== undefined) return upsertBlock(experimentsMd, name, body);
  // first time: put the markers at the end of the experiment's section (before the next '## ' or '---')
  const lines = experimentsMd.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^## ${id}\\b`).test(l));
  if (start < 0) return experimentsMd;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^## /.test(lines[i]!) || /^---\s*$/.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  const block = [`<!-- ${name}:start -->`, ...body.replace(/\n*$/, '').split('\n'), `<!-- ${name}:end -->`];
  return [...lines.slice(0, end), '', ...block, ...lines.slice(end)].join('\n');
}

/** Everything `npm run results` writes: the new README and docs/experiments.md texts. */
export function publishStatus(options: {
  readonly results: string;
  readonly readme: string;
  readonly docs: string;
}): { readme: string; docs: string; published: Published[] } {
  const published = loadPublished(options.results);
  let docs = readFileSync(options.docs, 'utf8');
  const docsDir = join(options.docs, '..');
  for (const p of published)
    docs = upsertExperimentBlock(docs, p.id, experimentBlock(p, relative(docsDir, options.results)));
  const readmeDir = join(options.readme, '..');
  const block = statusMarkdown(published, docs, {
    docsLink: relative(readmeDir, options.docs),
    resultsLink: relative(readmeDir, options.results),
  });
  const readmeText = readFileSync(options.readme, 'utf8');
  const readme =
    readBlock(readmeText, STATUS_BLOCK) !== undefined
      ? upsertBlock(readmeText, STATUS_BLOCK, block)
      : readmeText.replace(
          /\n## Layers\n/,
          `\n## Reproduction status\n\n<!-- ${STATUS_BLOCK}:start -->\n${block}<!-- ${STATUS_BLOCK}:end -->\n\n## Layers\n`,
        );
  return { readme, docs, published };
}

async function main(): Promise<void> {
  const { values } = parseCli(
    `usage: npx tsx examples/publish-status.ts [--results docs/results/full] [--readme README.md] [--docs docs/experiments.md] [--check]
  Writes the README "Reproduction status" table and the key figure + wall time of each experiment in
  docs/experiments.md from the committed results. --check writes nothing and exits 1 when they are stale.`,
    {
      results: { type: 'string', default: join('docs', 'results', 'full') },
      readme: { type: 'string', default: 'README.md' },
      docs: { type: 'string', default: join('docs', 'experiments.md') },
      check: { type: 'boolean', default: false },
    },
  );
  const options = {
    results: String(values.results),
    readme: String(values.readme),
    docs: String(values.docs),
  };
  const { readme, docs, published } = publishStatus(options);
  const stale =
    readme !== readFileSync(options.readme, 'utf8') || docs !== readFileSync(options.docs, 'utf8');
  if (values.check) {
    process.stdout.write(
      stale ? 'README/docs are stale: run npm run results\n' : 'README/docs are up to date\n',
    );
    if (stale) process.exitCode = 1;
    return;
  }
  writeFileSync(options.readme, readme);
  writeFileSync(options.docs, docs);
  process.stdout.write(
    `${published.length} published experiment(s) (${published.map((p) => p.id).join(', ') || 'none'}): wrote ${options.readme} and ${options.docs}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
