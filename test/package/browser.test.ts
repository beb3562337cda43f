/**
 * The root entry in a real browser: esbuild bundles test/package/fixtures/browserCheck.ts (which imports
 * only 'coarsegrain') for platform browser, headless Chromium (Debian's `chromium`; `.ci/run` installs
 * it) runs it in a page, and the results are set beside the same function run in Node (Wolff samples of
 * a 16 x 16 torus, a tiny RBM trained 5 epochs, its flow and the flow's temperatures).
 *
 * Measured: the engines' own Math.exp, log, sin, cos, cosh (and `**`) differ by 1 ulp on a few percent
 * of inputs between Node 20's V8 and a current Chromium's, so a computation that calls them (RBM
 * initialisation via Box-Muller, sigmoids, the Kaufman curve) cannot agree to the bit across those
 * engines. The test therefore checks three things: (1) with a common libm installed in both engines
 * (fixtures/portableMath.ts), everything agrees bit for bit; (2) with the engines' own libm, the
 * sampling part still agrees bit for bit; (3) the whole native result agrees bit for bit whenever the
 * engines' libm probes agree. Without a Chromium binary the test is skipped with a message.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserCheck, mathProbe, withPortableMath } from './fixtures/browserCheck.js';

const CHROMIUM = process.env.COARSEGRAIN_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `test/package/browser.test.ts: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does, or set COARSEGRAIN_CHROMIUM)`,
  );

describe('the root entry in headless Chromium', () => {
  it.skipIf(!available)(
    'computes the same bits as Node',
    async () => {
      const bundle = await build({
        entryPoints: ['test/package/fixtures/browserCheck.ts'],
        bundle: true,
        platform: 'browser',
        format: 'iife',
        globalName: 'cgCheck',
        write: false,
        logLevel: 'silent',
      });
      const profile = mkdtempSync(join(tmpdir(), 'cg-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      type Check = { browserCheck(): string; mathProbe(): string; withPortableMath<T>(f: () => T): T };
      let agent: string;
      let browser: { probe: string; native: string; portable: string };
      try {
        const page = await context.newPage();
        await page.setContent('<!doctype html><title>coarsegrain browser check</title>');
        await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
        agent = await page.evaluate(() => navigator.userAgent);
        browser = await page.evaluate(() => {
          const c = (globalThis as unknown as { cgCheck: Check }).cgCheck;
          return {
            probe: c.mathProbe(),
            native: c.browserCheck(),
            portable: c.withPortableMath(c.browserCheck),
          };
        });
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
      expect(agent).toMatch(/Chrome\//);
      const node = { probe: mathProbe(), native: browserCheck(), portable: withPortableMath(browserCheck) };
      // JSON numbers are shortest round-trip decimals: equal text means equal bits.
      expect(JSON.parse(browser.portable)).toEqual(JSON.parse(node.portable)); // a readable diff first
      expect(browser.portable).toBe(node.portable);
      const [b, n] = [JSON.parse(browser.native), JSON.parse(node.native)];
      expect(JSON.stringify([b.summary, b.configs])).toBe(JSON.stringify([n.summary, n.configs]));
      if (browser.probe === node.probe) expect(browser.native).toBe(node.native);
      else
        console.warn(
          `test/package/browser.test.ts: ${agent} and Node (V8 ${process.versions.v8}) round Math.exp/log/sin/cos/cosh differently; the native RBM results are compared only under the common libm`,
        );
    },
    180_000,
  );
});
