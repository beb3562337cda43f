/**
 * Flags for every field of an experiment config, derived from its preset: numbers take `--field 1.5`,
 * lists `--field 1,2,3`, booleans `--field true|false`, strings `--field value`. Used by the E1 and E5
 * examples.
 */
import { listFlag, numberFlag, type OptionSpec } from './cli.js';

/** parseArgs option spec with one string flag per config field. */
export function presetOptions(preset: object): OptionSpec {
  return Object.fromEntries(Object.keys(preset).map((k) => [k, { type: 'string' as const }]));
}

/** Usage fragment listing every field with its quick-preset value. */
export function presetUsage(preset: object): string {
  return Object.entries(preset)
    .map(
      ([k, v]) =>
        `[--${k} ${Array.isArray(v) ? (v as number[]).map((x) => +x.toFixed(4)).join(',') : typeof v === 'number' ? +v.toFixed(6) : String(v)}]`,
    )
    .join(' ');
}

/** The config overrides given on the command line (exits with a message on bad input). */
export function presetOverrides(preset: object, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(preset)) {
    if (values[k] === undefined) continue;
    if (typeof v === 'number') out[k] = numberFlag(values, k);
    else if (Array.isArray(v)) out[k] = listFlag(values, k);
    else if (typeof v === 'boolean') {
      const raw = String(values[k]);
      if (raw !== 'true' && raw !== 'false') {
        process.stderr.write(`--${k}: expected true or false, received ${JSON.stringify(raw)}\n`);
        process.exit(2);
      }
      out[k] = raw === 'true';
    } else out[k] = values[k];
  }
  return out;
}
