/**
 * examples/reproduce-all.ts end to end on stand-in experiment scripts: one that writes a result with
 * comparisons, one that crashes, one that writes nothing. Checks the exit code, index.md (summary, the
 * Measured table, Markdown escaping) and index.json, and that --only keeps earlier results.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve('examples/reproduce-all.ts');
const dir = mkdtempSync(join(tmpdir(), 'reproduce-all-'));
const out = join(dir, 'out');

const okScript = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const args = process.argv.slice(2);
const out = args[args.indexOf('--out') + 1];
mkdirSync(out, { recursive: true });
const preset = args.includes('--full') ? 'full' : 'quick';
writeFileSync(join(out, 'result.json'), JSON.stringify({
  id: 'E1', title: 'Stand-in <v h> | test', preset, seconds: 0.01, seed: Number(args[args.indexOf('--seed') + 1]),
  measured: { configs: Array.from({ length: 300 }, (_, i) => i % 2), curve: [1, 2, 3] },
  mnist: args.includes('--mnist') ? args[args.indexOf('--mnist') + 1] : null,
  workers: args.includes('--workers') ? args[args.indexOf('--workers') + 1] : null,
  comparisons: [
    { quantity: 'Delta_sigma', measured: { mean: 0.13, error: 0.01 }, reference: 0.125, source: 'exact', agrees: true },
    { quantity: 'direction', measured: { mean: 1, error: 'NaN' }, reference: 'NaN', source: 'behaviour', expectation: 'T rises', agrees: false },
  ],
}));
writeFileSync(join(out, 'report.md'), '# stand-in\\n');
writeFileSync(join(out, 'plot.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
`;
// a script that reads real data (presetCli(..., { dataFolders: true }) in its source) gets --mnist etc.
// ... and one that splits its work (WORKERS_FLAG in its source) gets --workers
writeFileSync(
  join(dir, 'e1-ok.ts'),
  `${okScript}\n// presetCli('e1', P, { dataFolders: true, extraFlags: WORKERS_FLAG })\n`,
);
writeFileSync(join(dir, 'e2-crash.ts'), "throw new Error('stand-in failure');\n");
writeFileSync(join(dir, 'e10-silent.ts'), 'process.stdout.write("nothing\\n");\n');
writeFileSync(join(dir, 'notes.ts'), 'throw new Error("not an experiment script");\n');

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, '--dir', dir, '--out', out, ...args], {
    encoding: 'utf8',
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/reproduce-all', () => {
  it('lists e<N>-*.ts scripts in numeric order', () => {
    const r = run('--list');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['E1', 'E2', 'E10']);
  });

  it('runs every script, survives a crash and writes the index', () => {
    const r = run(
      '--quick',
      '--seed',
      '7',
      '--max-array',
      '100',
      '--data',
      join(dir, 'data'),
      '--workers',
      '2',
    );
    expect(r.status).toBe(1); // one script failed
    expect(r.stdout).toContain('2/3 experiments ran');
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain('| E1 | Stand-in &lt;v h&gt; \\| test | ok | ');
    expect(index).toContain('| 1/2 | [e1/report.md](e1/report.md) |');
    expect(index).toMatch(/\| E2 \| - \| failed \(exit 1\) \|/);
    expect(index).toContain('Error: stand-in failure');
    expect(index).toContain('ok (no result.json)');
    expect(index).toContain('### Measured (quick preset)');
    expect(index).toContain('| Delta_sigma | 0.130 ± 0.010 | 0.125 | exact | yes |');
    expect(index).toContain('| direction | 1 (no error bar) | T rises | behaviour | no |');
    expect(index).toContain('[plot.svg](e1/plot.svg)');
    const json = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(json.mode).toBe('quick');
    expect(json.seed).toBe(7);
    expect(json.experiments.map((e: { id: string }) => e.id)).toEqual(['E1', 'E2', 'E10']);
    const result = JSON.parse(readFileSync(join(out, 'e1', 'result.json'), 'utf8'));
    expect(result.seed).toBe(7);
    expect(result.mnist).toBe(join(dir, 'data', 'mnist'));
    expect(result.workers).toBe('2');
    // raw data stripped, short series kept
    expect(result.measured).toEqual({ configs: { omitted: 'raw data', length: 300 }, curve: [1, 2, 3] });
    expect(r.stderr).toContain('stripped 1 raw array(s) from result.json ($.measured.configs)');
    // report.md gets the comparisons block after the script's own text
    const report = readFileSync(join(out, 'e1', 'report.md'), 'utf8');
    expect(report.startsWith('# stand-in\n')).toBe(true);
    expect(report).toContain('<!-- comparisons:start -->\n## Comparisons (from result.json)');
    expect(report).toContain('| Delta_sigma | 0.130 ± 0.010 | 0.125 | exact | yes |');
    // run.json: the process's wall time, exit and machine load
    const info = JSON.parse(readFileSync(join(out, 'e1', 'run.json'), 'utf8'));
    expect(info.exitCode).toBe(0);
    expect(info.seconds).toBeGreaterThan(0);
    expect(info.loadBefore).toHaveLength(3);
    expect(info.args).toContain('--quick');
    expect(JSON.parse(readFileSync(join(out, 'e2', 'run.json'), 'utf8')).exitCode).toBe(1);
  });

  it('--only reruns the selection and keeps the earlier results of the others', () => {
    const r = run('--only', 'e10');
    expect(r.status).toBe(0);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toMatch(/\| E1 \| .* \| earlier run \|/);
    expect(index).toMatch(/\| E10 \| - \| ok \(no result.json\) \|/);
    expect(run('--only', 'E4').status).toBe(2);
  });
});
