import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { probe } from './.tmp-probe.js';
const bundle = await build({ entryPoints: ['.tmp-probe.ts'], bundle: true, platform: 'browser', format: 'iife', globalName: 'p', write: false, logLevel: 'silent' });
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cgc-')), { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu'] });
const page = await ctx.newPage();
await page.setContent('<!doctype html>');
await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
const B = JSON.parse(await page.evaluate(() => (globalThis as any).p.probe()));
await ctx.close();
const N = JSON.parse(probe());
for (const k of Object.keys(N)) { let d = 0; let ex = ''; N[k].forEach((v: number, i: number) => { if (v !== B[k][i]) { d++; if (!ex) ex = `${v} vs ${B[k][i]}`; } }); console.log(k, d, ex); }
