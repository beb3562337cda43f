/**
 * References measured in the same run: numpy / scikit-learn scripts (bench/reference/*.py) in a child
 * python3, and the plain C Monte Carlo kernels of ../shared/anchors/ising_ref.c (beside the repository, or
 * $COARSEGRAIN_ANCHORS) compiled with gcc into a temporary directory.
 *
 * Python: the candidates are $COARSEGRAIN_PYTHON, then `python3`, then `/usr/bin/python3` (none when
 * COARSEGRAIN_PYTHON=none); the first with numpy and scikit-learn serves every reference row, else the
 * first with numpy serves the numpy rows.
 * Each child runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (both together: they are set on some
 * machines for old OpenBLAS builds and slow a current numpy); the probe records which BLAS kernel and how
 * many threads numpy then runs, and {@link referenceHeader} prints them.
 *
 * Protocol: `python3 bench/reference/SCRIPT.py 'JSON parameters'` prints one JSON object on its last
 * stdout line, `{"ok": true, "results": [{"id", "seconds", "repeats", "label", ...}]}` or
 * `{"ok": false, "error": "..."}` (see bench/reference/_common.py). A reference that is missing gives a
 * row with our figure alone; a reference that fails is recorded in {@link referenceFailures} and the
 * bench exits non-zero after printing its table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Directory of the reference scripts. */
export const REFERENCE_DIR = join(here, 'reference');

/** One BLAS library numpy loaded. */
export interface BlasInfo {
  readonly library: string | null;
  readonly version: string | null;
  /** The kernel OpenBLAS runs (e.g. 'Haswell', 'Zen'), or null when unknown. */
  readonly kernel: string | null;
  readonly threads: number | null;
}

/** What bench/reference/probe.py reports about one interpreter. */
export interface PythonInfo {
  /** The command the bench runs (as given in the candidate list). */
  readonly command: string;
  readonly executable: string;
  readonly python: string;
  readonly numpy: string | null;
  readonly scipy: string | null;
  readonly sklearn: string | null;
  readonly blas: readonly BlasInfo[];
}

/** One figure measured by a reference script. */
export interface ReferenceResult {
  readonly id: string;
  /** Best wall time in seconds over `repeats` runs after a warm-up. */
  readonly seconds: number;
  readonly repeats: number;
  readonly label: string;
  /** The dtype the package actually computed in, when the script reports it. */
  readonly dtype?: string;
}

/** A reference figure, or the reason there is none (printed in place of the figure). */
export type ReferenceOutcome =
  | { readonly ok: true; readonly results: readonly ReferenceResult[] }
  | { readonly ok: false; readonly missing: string };

/** Thrown for output that does not follow the protocol. */
export class ReferenceProtocolError extends Error {
  override name = 'ReferenceProtocolError';
}

function lastJsonLine(text: string, what: string): Record<string, unknown> {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'));
  const line = lines[lines.length - 1];
  if (line === undefined) throw new ReferenceProtocolError(`${what}: no JSON object in the output`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new ReferenceProtocolError(`${what}: invalid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ReferenceProtocolError(`${what}: expected a JSON object, received ${line.slice(0, 80)}`);
  return value as Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Parse what a reference script printed. Returns its results; throws {@link ReferenceProtocolError} for
 * output that breaks the protocol and for `{"ok": false}` replies (with the script's error message).
 */
export function parseReferenceReply(stdout: string, what: string): ReferenceResult[] {
  const reply = lastJsonLine(stdout, what);
  if (reply.ok === false) throw new ReferenceProtocolError(`${what}: ${String(reply.error ?? 'failed')}`);
  if (reply.ok !== true || !Array.isArray(reply.results) || reply.results.length === 0)
    throw new ReferenceProtocolError(`${what}: expected {"ok": true, "results": [...]} with results`);
  return reply.results.map((r: unknown, i: number) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const { id, seconds, repeats, label, dtype } = o;
    if (typeof id !== 'string' || typeof label !== 'string')
      throw new ReferenceProtocolError(`${what}: results[${i}]: expected string id and label`);
    if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds))
      throw new ReferenceProtocolError(
        `${what}: results[${i}].seconds: expected a finite time > 0, received ${String(seconds)}`,
      );
    if (typeof repeats !== 'number' || !Number.isInteger(repeats) || repeats < 1)
      throw new ReferenceProtocolError(`${what}: results[${i}].repeats: expected an integer >= 1`);
    return { id, seconds, repeats, label, ...(typeof dtype === 'string' ? { dtype } : {}) };
  });
}

/** Parse the probe's reply (bench/reference/probe.py) for the interpreter `command`. */
export function parseProbeReply(stdout: string, command: string): PythonInfo {
  const o = lastJsonLine(stdout, `probe of ${command}`);
  if (o.ok !== true || typeof o.python !== 'string')
    throw new ReferenceProtocolError(`probe of ${command}: expected {"ok": true, "python": ...}`);
  const blas = Array.isArray(o.blas) ? o.blas : [];
  return {
    command,
    executable: str(o.executable) ?? command,
    python: o.python,
    numpy: str(o.numpy),
    scipy: str(o.scipy),
    sklearn: str(o.sklearn),
    blas: blas.map((b: unknown) => {
      const e = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
      return {
        library: str(e.library),
        version: str(e.version),
        kernel: str(e.kernel),
        threads: typeof e.threads === 'number' ? e.threads : null,
      };
    }),
  };
}

/**
 * Interpreters to try, in order: $COARSEGRAIN_PYTHON, `python3`, `/usr/bin/python3` (no repeats);
 * none at all when COARSEGRAIN_PYTHON is `none` (every python row then shows ours alone).
 */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.COARSEGRAIN_PYTHON === 'none') return [];
  const list = [env.COARSEGRAIN_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );
  return [...new Set(list)];
}

/**
 * The environment of a reference child: ours without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, and with
 * PYTHONDONTWRITEBYTECODE=1 (no __pycache__ in bench/reference/).
 */
export function referenceEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PYTHONDONTWRITEBYTECODE: '1' };
  delete out.OPENBLAS_CORETYPE;
  delete out.OPENBLAS_L2_SIZE;
  return out;
}

/** The interpreters chosen: `full` has numpy and scikit-learn, `numpy` at least numpy. */
export interface PythonChoice {
  readonly full: PythonInfo | null;
  readonly numpy: PythonInfo | null;
  /** One line per candidate: what it has, or why it was not usable. */
  readonly tried: readonly string[];
}

/**
 * Choose interpreters among `candidates` with `probe` (returns the interpreter's info, or a string saying
 * why it cannot be used): the first with numpy + scikit-learn serves every row; without one, the first
 * with numpy serves the numpy rows.
 */
export function choosePython(
  candidates: readonly string[],
  probe: (command: string) => PythonInfo | string,
): PythonChoice {
  const tried: string[] = [];
  let numpy: PythonInfo | null = null;
  for (const command of candidates) {
    const info = probe(command);
    if (typeof info === 'string') {
      tried.push(`${command}: ${info}`);
      continue;
    }
    tried.push(
      `${command}: python ${info.python}, numpy ${info.numpy ?? 'missing'}, scikit-learn ${info.sklearn ?? 'missing'}`,
    );
    if (info.numpy !== null && info.sklearn !== null) return { full: info, numpy: info, tried };
    if (info.numpy !== null && numpy === null) numpy = info;
  }
  return { full: null, numpy, tried };
}

/** Run the probe under `command` (a real child process); a string says why it is unusable. */
export function probeInterpreter(command: string): PythonInfo | string {
  const r = spawnSync(command, [join(REFERENCE_DIR, 'probe.py')], {
    env: referenceEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : r.error.message;
  if (r.status !== 0) return `probe exited with ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  try {
    return parseProbeReply(r.stdout, command);
  } catch (error) {
    return (error as Error).message;
  }
}

let choice: PythonChoice | null = null;

/** The interpreters chosen for this run (probed once). */
export function pythonChoice(): PythonChoice {
  choice ??= choosePython(pythonCandidates(), probeInterpreter);
  return choice;
}

/** References that were available but failed (a broken script or kernel): the bench exits non-zero. */
export const referenceFailures: string[] = [];

/**
 * Run `script` (in bench/reference/) with `params` under the chosen interpreter that has `needs`.
 * Returns the results, or `{ ok: false, missing }` when no interpreter has the packages or the script
 * failed (then also recorded in {@link referenceFailures}).
 */
export function pythonReference(
  needs: 'numpy' | 'sklearn',
  script: string,
  params: Record<string, unknown>,
): ReferenceOutcome {
  const c = pythonChoice();
  const info = needs === 'sklearn' ? c.full : c.numpy;
  if (info === null) {
    return {
      ok: false,
      missing: needs === 'sklearn' ? 'no python3 with scikit-learn' : 'no python3 with numpy',
    };
  }
  try {
    return { ok: true, results: runPythonScript(info.command, script, params) };
  } catch (error) {
    referenceFailures.push(`${(error as Error).message} (parameters ${JSON.stringify(params)})`);
    return { ok: false, missing: `reference failed: ${script}` };
  }
}

/**
 * Run bench/reference/`script` with `params` under the interpreter `command` and return its results.
 * @throws ReferenceProtocolError (or the spawn error) when it fails or breaks the protocol; the message
 * starts with the script's name and ends with the last lines of its stderr.
 */
export function runPythonScript(
  command: string,
  script: string,
  params: Record<string, unknown>,
): ReferenceResult[] {
  const r = spawnSync(command, [join(REFERENCE_DIR, script), JSON.stringify(params)], {
    cwd: REFERENCE_DIR,
    env: referenceEnv(),
    encoding: 'utf8',
    timeout: 30 * 60_000,
    maxBuffer: 16 << 20,
  });
  if (r.error) throw r.error;
  try {
    return parseReferenceReply(r.stdout, script);
  } catch (error) {
    const tail = (r.stderr ?? '').trim().split('\n').slice(-2).join(' | ');
    throw new ReferenceProtocolError(`${(error as Error).message}${tail ? ` (stderr: ${tail})` : ''}`);
  }
}

/** A reference time in seconds and what it is; NaN seconds with the reason in parentheses when missing. */
export interface ReferenceFigure {
  readonly seconds: number;
  readonly label: string;
}

/**
 * The result of `outcome` with id `id`, or NaN seconds with the reason there is none. A result that the
 * script may leave out (e.g. scipy's, under a python without scipy) takes `absentReason`; any other
 * absent result is recorded as a failure.
 */
export function pick(outcome: ReferenceOutcome, id: string, absentReason?: string): ReferenceFigure {
  if (!outcome.ok) return { seconds: Number.NaN, label: `(${outcome.missing})` };
  const r = outcome.results.find((x) => x.id === id);
  if (!r && absentReason !== undefined) return { seconds: Number.NaN, label: `(${absentReason})` };
  if (!r) {
    referenceFailures.push(
      `reference result ${id} missing from ${outcome.results.map((x) => x.id).join(', ')}`,
    );
    return { seconds: Number.NaN, label: `(no result ${id})` };
  }
  return { seconds: r.seconds, label: r.label };
}

// ---------------------------------------------------------------------------------------------------
// the C reference

/** One RESULT line of ising_ref: rates over its 5 repetitions. */
export interface CResult {
  readonly id: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly note: string;
}

/** Parse the tab-separated `RESULT id tool median min max unit n note` line that ising_ref prints. */
export function parseCResult(stdout: string, what: string): CResult {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT\t'));
  if (line === undefined) throw new ReferenceProtocolError(`${what}: no RESULT line`);
  const f = line.split('\t');
  const [median, min, max] = [Number(f[3]), Number(f[4]), Number(f[5])];
  if (f.length < 9 || ![median, min, max].every((x) => Number.isFinite(x) && x > 0))
    throw new ReferenceProtocolError(`${what}: malformed RESULT line: ${line}`);
  return { id: f[1]!, median, min, max, unit: f[6]!, note: f.slice(8).join('\t') };
}

/** Directory holding ising_ref.c: $COARSEGRAIN_ANCHORS, else ../shared/anchors beside the repository. */
export function anchorsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.COARSEGRAIN_ANCHORS || join(here, '..', '..', 'shared', 'anchors');
}

let cState: { binary: string; compiler: string } | { missing: string } | null = null;

/** Compile ising_ref.c once per run into a temporary directory (removed at exit); or say why not. */
function cBinary(): { binary: string; compiler: string } | { missing: string } {
  if (cState) return cState;
  const source = join(anchorsDir(), 'ising_ref.c');
  if (!existsSync(source)) {
    cState = { missing: `no ${source}` };
    return cState;
  }
  const version = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    cState = { missing: 'no gcc' };
    return cState;
  }
  const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const binary = join(dir, 'ising_ref');
  // the build line of the file's header
  const build = spawnSync('gcc', ['-O3', '-march=native', '-o', binary, source, '-lm'], { encoding: 'utf8' });
  if (build.status !== 0) {
    referenceFailures.push(`gcc failed on ${source}: ${build.stderr.trim()}`);
    cState = { missing: 'gcc failed' };
    return cState;
  }
  cState = { binary, compiler: `${version.stdout.split('\n')[0]} -O3 -march=native, ${source}` };
  return cState;
}

/** Run the C reference with `args` (e.g. ['wolff', '64']); the rates, or why there are none. */
export function cReference(args: readonly string[]): CResult | { missing: string } {
  const c = cBinary();
  if ('missing' in c) return c;
  const what = `C reference ising_ref ${args.join(' ')}`;
  const r = spawnSync(c.binary, args, { encoding: 'utf8', timeout: 30 * 60_000 });
  try {
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${what}: exit ${r.status}: ${r.stderr.trim()}`);
    return parseCResult(r.stdout, what);
  } catch (error) {
    referenceFailures.push((error as Error).message);
    return { missing: 'C reference failed' };
  }
}

/** How this process had the two OpenBLAS variables set (for the record: the children run without them). */
function parentBlasEnv(): string {
  const set = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']
    .filter((k) => process.env[k] !== undefined)
    .map((k) => `${k}=${process.env[k]}`);
  return set.length > 0 ? set.join(' ') : 'neither set';
}

/** Lines describing the references of this run, for the bench's header. */
export function referenceHeader(): string[] {
  const lines: string[] = [];
  const c = choice;
  if (c === null) lines.push('python references: not used by the selected benchmarks');
  else if (c.numpy === null) {
    const why =
      c.tried.length === 0 ? 'no candidates: COARSEGRAIN_PYTHON=none' : 'no python3 with numpy found';
    lines.push(`python references: NONE (${why}): numpy/scikit-learn rows show ours alone`);
  } else {
    const info = c.full ?? c.numpy;
    const blas = info.blas
      .map(
        (b) =>
          `${b.kernel ?? 'unknown'} kernel, ${b.threads ?? '?'} threads (${b.version ?? b.library ?? '?'})`,
      )
      .join('; ');
    lines.push(
      `python references: ${info.executable} (python ${info.python}), numpy ${info.numpy}, scipy ${info.scipy ?? 'missing'}, scikit-learn ${info.sklearn ?? 'MISSING: its rows show ours alone'}`,
      `  numpy BLAS: ${blas || 'unknown'}; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for the child (here: ${parentBlasEnv()})`,
    );
  }
  if (c !== null) for (const t of c.tried) lines.push(`  tried ${t}`);
  if (cState === null) lines.push('C reference: not used by the selected benchmarks');
  else if ('missing' in cState)
    lines.push(`C reference: NONE (${cState.missing}): Monte Carlo rows show ours alone`);
  else lines.push(`C reference: ${cState.compiler}`);
  return lines;
}
