/**
 * Flags for every field of an experiment config, derived from its preset: numbers take `--field 1.5`,
 * lists `--field 1,2,3` (numbers, or names such as `--datasets ising,mnist`), booleans
 * `--field true|false`, strings `--field value`. Data-path fields (names ending in `Dir` or `Path`) get no
 * flag of their own: with `dataFolders: true`, {@link presetCli} adds `--mnist DIR --flowers DIR
 * --swimseg DIR`, whose defaults under ../shared/data are used only when they exist. A script's own flags
 * that are not config fields (E2's `--show 16`) are declared as `extraFlags`. Used by every experiment script
 * E1-E11 (one line each: `presetCli('eN-name', EN_PRESETS)`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDataPathKey, type PresetConfig } from '../experiments/types.js';
import { COMMON_OPTIONS, listFlag, numberFlag, type OptionSpec, parseCli } from './args.js';

/** The preset's fields that get a flag (every field but the data paths). */
function flagFields(preset: object): [string, unknown][] {
  return Object.entries(preset).filter(([k]) => !isDataPathKey(k));
}

/** parseArgs option spec with one string flag per config field. */
export function presetOptions(preset: object): OptionSpec {
  return Object.fromEntries(flagFields(preset).map(([k]) => [k, { type: 'string' as const }]));
}

/** A preset value as it is written on the command line. */
function flagValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? +x.toFixed(4) : String(x))).join(',');
  return typeof v === 'number' ? String(+v.toFixed(6)) : String(v);
}

/** Usage fragment listing every field with its quick-preset value. */
export function presetUsage(preset: object): string {
  return flagFields(preset)
    .map(([k, v]) => `[--${k} ${flagValue(v)}]`)
    .join(' ');
}

/** The config overrides given on the command line (exits with a message on bad input). */
export function presetOverrides(preset: object, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of flagFields(preset)) {
    if (values[k] === undefined) continue;
    if (typeof v === 'number') out[k] = numberFlag(values, k);
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = String(values[k]).split(',');
    else if (Array.isArray(v)) out[k] = listFlag(values, k);
    else if (typeof v === 'boolean') out[k] = booleanFlag(values, k);
    else out[k] = values[k];
  }
  return out;
}

/** Read a `--name true|false` flag (exits with a message on any other value). */
function booleanFlag(values: Record<string, unknown>, name: string): boolean {
  const raw = String(values[name]);
  if (raw !== 'true' && raw !== 'false') {
    process.stderr.write(`--${name}: expected true or false, received ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return raw === 'true';
}

/**
 * A flag of a script that is not a config field, e.g. E2's `--show 16` (how many maps to draw): its value
 * type (`number`, `string`, or `boolean` written `--flag true|false`), one line of help and the default used
 * when the flag is absent (the same for both presets).
 */
export type ExtraFlag =
  | { readonly type: 'number'; readonly help: string; readonly default: number }
  | { readonly type: 'string'; readonly help: string; readonly default: string }
  | { readonly type: 'boolean'; readonly help: string; readonly default: boolean };

/** The parsed value of each extra flag, typed by its declaration. */
export type ExtraValues<E extends Record<string, ExtraFlag>> = {
  readonly [K in keyof E]: E[K]['type'] extends 'number'
    ? number
    : E[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Usage lines of the extra flags: `[--show 16]` and its help text. */
function extraUsage(extras: Record<string, ExtraFlag>): string[] {
  const heads = Object.entries(extras).map(([k, f]) => [`[--${k} ${flagValue(f.default)}]`, f.help] as const);
  const width = Math.max(...heads.map(([h]) => h.length));
  return heads.map(([h, help]) => `${h.padEnd(width)}   ${help}`);
}

/** The extra flags' values: given on the command line, else their defaults (exits with a message on bad input). */
function extraValues(
  extras: Record<string, ExtraFlag>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(extras)) {
    if (values[k] === undefined) out[k] = f.default;
    else if (f.type === 'number') out[k] = numberFlag(values, k);
    else if (f.type === 'boolean') out[k] = booleanFlag(values, k);
    else out[k] = values[k];
  }
  return out;
}

/** The real data sets: flag name, config field and default folder (relative to the repository). */
const DATA_FOLDERS = [
  { flag: 'mnist', field: 'mnistDir', fallback: join('..', 'shared', 'data', 'mnist') },
  { flag: 'flowers', field: 'flowersDir', fallback: join('..', 'shared', 'data', 'flowers') },
  { flag: 'swimseg', field: 'swimsegDir', fallback: join('..', 'shared', 'data', 'swimseg', 'images') },
] as const;

/** parseArgs option spec of the data folder flags `--mnist DIR --flowers DIR --swimseg DIR`. */
export function dataFolderOptions(): OptionSpec {
  return Object.fromEntries(DATA_FOLDERS.map((d) => [d.flag, { type: 'string' as const }]));
}

/** Usage fragment of the data folder flags. */
export const DATA_FOLDER_USAGE: string =
  '[--mnist DIR] [--flowers DIR] [--swimseg DIR]   (default ../shared/data/{mnist,flowers,swimseg/images} when there)';

/**
 * The data folders as config fields (`mnistDir`, `flowersDir`, `swimsegDir`): a folder given by flag is
 * passed as is; otherwise the default folder is used when it exists, and the field is left out when it does
 * not (the experiment then skips that data set and lists it as skipped). With `preset`, only the fields it
 * has (E4 none, E8 all three, E11 `mnistDir` only: runEN rejects a field it does not know).
 * @example dataFolders({ mnist: 'm', flowers: 'f' }, E11_PRESETS.quick); // { mnistDir: 'm' }
 */
export function dataFolders(values: Record<string, unknown>, preset?: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of DATA_FOLDERS) {
    if (preset !== undefined && !(d.field in preset)) continue;
    const given = values[d.flag] as string | undefined;
    if (given !== undefined) out[d.field] = given;
    else if (existsSync(d.fallback)) out[d.field] = d.fallback;
  }
  return out;
}

/**
 * What {@link presetCli} returns: the parsed flags, the config for `runEN`, the seed, the output folder and
 * the values of the script's extra flags.
 */
export interface PresetCli<C, E extends Record<string, ExtraFlag> = Record<never, ExtraFlag>> {
  readonly values: Record<string, string | boolean | undefined>;
  readonly config: PresetConfig<C>;
  readonly seed: number;
  readonly out: string;
  readonly extras: ExtraValues<E>;
}

/**
 * The whole command line of an experiment script whose flags are its config fields: `--quick|--full`,
 * `--seed`, `--out` (default `results/eN` from the script name `eN-...`), `--json`, `--help`, one flag per
 * preset field, with `dataFolders` the `--mnist/--flowers/--swimseg` folders, and the script's own
 * `extraFlags` (returned in `extras`, never passed to the experiment). Exits with the usage on `--help` and
 * with a message on an unknown flag or a bad flag value.
 * @throws Error when an extra flag has the name of a config field or of a common flag (a bug in the script).
 * @example const { values, config, seed, out } = presetCli('e9-covariance-init', E9_PRESETS, { dataFolders: true });
 * @example const { config, extras } = presetCli('e2-input-output', E2_PRESETS, {
 *   extraFlags: { show: { type: 'number', default: 16, help: 'maps drawn per grid' } },
 * }); // extras.show: number
 */
export function presetCli<C extends object, E extends Record<string, ExtraFlag> = Record<never, ExtraFlag>>(
  script: string,
  presets: { readonly quick: C; readonly full: C },
  options: { readonly dataFolders?: boolean; readonly extraFlags?: E } = {},
): PresetCli<C, E> {
  const id = script.split('-')[0]!;
  const folders = options.dataFolders === true;
  const extras: Record<string, ExtraFlag> = options.extraFlags ?? {};
  const taken = {
    ...COMMON_OPTIONS,
    ...presetOptions(presets.quick),
    ...(folders ? dataFolderOptions() : {}),
  };
  for (const k of Object.keys(extras))
    if (k in taken)
      throw new Error(`presetCli(${script}): extra flag --${k} clashes with a config or common flag`);
  const { values } = parseCli(
    [
      `npx tsx examples/${script}.ts [--quick|--full] [--seed 1] [--out results/${id}] [--json]`,
      ...(folders ? [DATA_FOLDER_USAGE] : []),
      "config fields (shown with the quick preset's values; --full starts from the full preset's):",
      presetUsage(presets.quick),
      ...(Object.keys(extras).length > 0 ? ['other flags:', ...extraUsage(extras)] : []),
    ].join('\n  '),
    {
      ...presetOptions(presets.quick),
      ...(folders ? dataFolderOptions() : {}),
      ...Object.fromEntries(Object.keys(extras).map((k) => [k, { type: 'string' as const }])),
    },
  );
  const config = {
    preset: values.full ? 'full' : 'quick',
    ...presetOverrides(presets.quick, values),
    ...(folders ? dataFolders(values, presets.quick) : {}),
  } as PresetConfig<C>;
  const seed = numberFlag(values, 'seed', 1)!;
  const out = (values.out as string | undefined) ?? join('results', id);
  return { values, config, seed, out, extras: extraValues(extras, values) as ExtraValues<E> };
}
