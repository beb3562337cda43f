/**
 * The results folder the `coarsegrain` command writes for one experiment result: result.json (as the
 * example scripts write it) and a report.md with the run's parameters and the measured-vs-reference table.
 * The experiment-specific plots of the example scripts (examples/eN-*.ts) are not drawn here.
 * @module
 */
import type { AnyResult } from '../distributed/experiments.js';
import { markdownTable, pm, writeResults } from './args.js';

function cell(value: unknown): string {
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(+value.toPrecision(6));
  return String(value).replaceAll('|', '\\|');
}

/** report.md of a result: header line, parameters, comparisons. */
export function resultReport(result: AnyResult): string {
  const parameters = markdownTable(
    ['parameter', 'value'],
    Object.entries(result.parameters).map(([k, v]) => [k, cell(v)]),
  );
  const comparisons = markdownTable(
    ['quantity', 'measured', 'reference', 'source', 'agrees'],
    result.comparisons.map((c) => [
      cell(c.quantity),
      pm(c.measured.mean, c.measured.error),
      Number.isFinite(c.reference) ? c.reference.toFixed(4) : '-',
      cell(c.expectation ? `${c.source}; ${c.expectation}` : c.source),
      c.agrees === undefined ? '-' : c.agrees ? 'yes' : 'no',
    ]),
  );
  return `# ${result.title}

Experiment ${result.id}, preset ${result.preset}, seed ${result.seed}, coarsegrain ${result.version}, ${result.seconds.toFixed(1)} s.

## Parameters

${parameters}

## Measured vs reference

${comparisons}
`;
}

/** Write result.json and report.md of `result` into `folder` (made if needed). Returns the folder. */
export function writeResultFolder(folder: string, result: AnyResult): string {
  return writeResults(folder, result, {}, resultReport(result));
}
