#!/usr/bin/env node
// The `coarsegrain` command. From an installed package it runs the compiled dist/cli/main.js; in a
// development checkout (tsconfig.json present beside src/, tsx installed) it runs the TypeScript sources
// through tsx, so the command never uses a stale build.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
let entry = new URL('dist/cli/main.js', root);
if (existsSync(new URL('tsconfig.json', root)) && existsSync(new URL('src/cli/main.ts', root))) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = new URL('src/cli/main.ts', root);
  } catch {
    // no tsx: use the build
  }
}
if (!existsSync(entry)) {
  process.stderr.write(`coarsegrain: ${entry.pathname} is missing (run npm run build)\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
