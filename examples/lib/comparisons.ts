/**
 * The comparisons of an experiment result (`result.comparisons`: quantity, measured { mean, error },
 * reference, source, expectation, agrees) as text: one formatting shared by the index of
 * examples/reproduce-all.ts, the "Comparisons" block it writes into each published report.md, the README's
 * "Reproduction status" table (examples/publish-status.ts) and the test that checks they agree
 * (test/examples/publishedResults.test.ts). A published number is therefore always this formatting of the
 * number in result.json.
 */
import { markdownTable, pm } from './cli.js';

/** One comparison as found in a result.json (numbers may be strings like "NaN" after JSON), as text. */
export interface ComparisonRow {
  readonly quantity: string;
  /** 'mean ± error', or 'mean (no error bar)', or '-'. */
  readonly measured: string;
  /** The reference number, with the expectation in words in brackets when both are given. */
  readonly reference: string;
  readonly source: string;
  readonly agrees: boolean | undefined;
}

/** A number read from JSON: numbers as they are, 'NaN' / 'Infinity' strings (the JSON replacer's) parsed. */
export function toNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string') return Number(x);
  return Number.NaN;
}

/** A measured `{ mean, error }` (or a bare number) as text: 'mean ± error' with the digits the error allows. */
export function formatMeasured(measured: unknown): string {
  if (measured && typeof measured === 'object' && 'mean' in measured) {
    const m = measured as { mean: unknown; error?: unknown };
    const mean = toNumber(m.mean);
    const error = toNumber(m.error);
    if (!Number.isFinite(mean)) return String(m.mean);
    if (Number.isFinite(error) && error > 0) return pm(mean, error);
    return `${Number.isInteger(mean) ? String(mean) : mean.toPrecision(5)} (no error bar)`;
  }
  const x = toNumber(measured);
  return Number.isFinite(x) ? x.toPrecision(5) : '-';
}

/** A reference number (8 significant digits) with the expectation in words, or the words alone. */
export function formatReference(reference: unknown, expectation: unknown): string {
  const x = toNumber(reference);
  const words = typeof expectation === 'string' && expectation !== '' ? expectation : undefined;
  if (Number.isFinite(x)) {
    const number = String(Number(x.toPrecision(8)));
    return words ? `${number} (${words})` : number;
  }
  return words ?? '-';
}

/** Pull the comparisons out of a result object (top level, or under `result`), formatted. */
export function extractComparisons(result: unknown): ComparisonRow[] {
  if (!result || typeof result !== 'object') return [];
  const r = result as Record<string, unknown>;
  const list = Array.isArray(r.comparisons)
    ? r.comparisons
    : r.result &&
        typeof r.result === 'object' &&
        Array.isArray((r.result as Record<string, unknown>).comparisons)
      ? ((r.result as Record<string, unknown>).comparisons as unknown[])
      : [];
  return list
    .filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object')
    .map((c) => ({
      quantity: String(c.quantity ?? '?'),
      // a comparison resting on a thermometer reading beyond its grid says so instead of a number
      measured: typeof c.outOfRange === 'string' ? c.outOfRange : formatMeasured(c.measured),
      reference: formatReference(c.reference, c.expectation),
      source: String(c.source ?? ''),
      agrees: typeof c.agrees === 'boolean' ? c.agrees : undefined,
    }));
}

/** Markdown-safe text: '<v h>' would be read as an HTML tag. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markdown-safe table cell: escaped, '|' escaped, one line. */
export function escapeCell(s: string): string {
  return escapeText(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** 'yes' / 'no' / '-' (not judged). */
export function agreesText(agrees: boolean | undefined): string {
  return agrees === undefined ? '-' : agrees ? 'yes' : 'no';
}

/** One Markdown table row per comparison (as a cell list): quantity, measured, reference, source, agrees. */
export function comparisonCells(c: ComparisonRow): string[] {
  return [
    escapeCell(c.quantity),
    c.measured,
    escapeCell(c.reference),
    escapeCell(c.source),
    agreesText(c.agrees),
  ];
}

/** The Markdown table of the comparisons (header: quantity, measured ± error, reference, source, agrees). */
export function comparisonsTable(rows: readonly ComparisonRow[]): string {
  return markdownTable(
    ['quantity', 'measured ± error', 'reference / expectation', 'source', 'agrees'],
    rows.map(comparisonCells),
  );
}

/** 'k/n' agreeing among the judged comparisons, '+m unjudged' when some carry no verdict; '-' when none. */
export function agreeCount(rows: readonly ComparisonRow[]): string {
  const judged = rows.filter((c) => c.agrees !== undefined);
  if (rows.length === 0) return '-';
  const yes = judged.filter((c) => c.agrees).length;
  return `${yes}/${judged.length}${judged.length < rows.length ? ` (+${rows.length - judged.length} unjudged)` : ''}`;
}

/**
 * Replace the text between `<!-- name:start -->` and `<!-- name:end -->` (markers kept) by `body`; when the
 * markers are absent, append them with the body at the end (`append: true`) or throw.
 * @throws Error when the markers are absent and `append` is false, or when they appear out of order.
 */
export function upsertBlock(text: string, name: string, body: string, append = false): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 && j < 0) {
    if (!append) throw new Error(`upsertBlock: markers ${start} ... ${end} not found`);
    return `${text.replace(/\n*$/, '\n\n')}${start}\n${body.replace(/\n*$/, '\n')}${end}\n`;
  }
  if (i < 0 || j < i) throw new Error(`upsertBlock: markers ${start} ... ${end} missing or out of order`);
  return `${text.slice(0, i + start.length)}\n${body.replace(/\n*$/, '\n')}${text.slice(j)}`;
}

/** The text between the markers of {@link upsertBlock} (without them), or undefined when absent. */
export function readBlock(text: string, name: string): string | undefined {
  const start = `<!-- ${name}:start -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(`<!-- ${name}:end -->`);
  if (i < 0 || j < i) return undefined;
  return text.slice(i + start.length, j);
}
