/**
 * The browser example, end to end: builds examples/browser with Vite, serves the build on
 * 127.0.0.1, opens it in the system's Chromium (headless, through playwright-core; no browser
 * download) and checks what the page reports on `window.__distillResults`. Saves a screenshot to
 * build/browser-demo.png, or to docs/browser-demo.png (the README's picture) with
 * UPDATE_SCREENSHOT=1, so that ordinary test runs leave the working tree unchanged.
 *
 * Run: `npm run test:browser`, which finds the browser (scripts/find-chromium.mjs: CHROMIUM_PATH, the
 * Chromium shipped by the @sparticuz/chromium package, or /usr/bin/chromium) and passes it as
 * CHROMIUM_PATH.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import type { DistillResults } from '../../examples/browser/main.js';
import type { WorkerResults } from '../../examples/browser/worker-page.js';
import { rootDir } from '../helpers/paths.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const exampleDir = join(rootDir, 'examples', 'browser');
const distDir = join(exampleDir, 'dist');
const PAGE_TIMEOUT_MS = 150_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Serves `dir` read-only on 127.0.0.1 at a free port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

describe('browser example (examples/browser)', { timeout: 180_000 }, () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'tfjs-distill-chromium-'));
  let results: DistillResults | undefined;
  let url = '';

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `No Chromium at ${CHROMIUM}; run the browser tests with npm run test:browser, which finds one, or set CHROMIUM_PATH.`,
    );
    await build({ configFile: join(exampleDir, 'vite.config.mjs'), logLevel: 'warn' });
    const served = await serve(distDir);
    server = served.server;
    url = served.url;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1000, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(served.url);
    await page.waitForFunction(
      () => window.__distillResults !== undefined || window.__distillError !== undefined,
      undefined,
      {
        timeout: PAGE_TIMEOUT_MS,
        polling: 500,
      },
    );
    const failure = await page.evaluate(() => window.__distillError);
    assert.equal(failure, undefined, `The page failed: ${failure}`);
    assert.deepEqual(errors, []);
    results = await page.evaluate(() => window.__distillResults);
    const shot =
      process.env.UPDATE_SCREENSHOT === '1'
        ? join(rootDir, 'docs', 'browser-demo.png')
        : join(rootDir, 'build', 'browser-demo.png');
    await page.screenshot({ path: shot, fullPage: true });
  });

  after(async () => {
    await context?.close();
    server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("the page hands the teacher's mixup batch to the student with the delivery", () => {
    assert.equal(results?.mixup.delivered, true);
  });

  it('the page draws a different mixup batch for the student without the delivery', () => {
    assert.equal(results?.mixup.undelivered, false);
  });

  it('the page trains the distilled student: its test accuracy rises over its epochs', () => {
    const accuracies = results?.accuracies.distilled ?? [];
    assert.ok(accuracies.length >= 4, `too few evaluations: ${accuracies.length}`);
    const [first, last] = [accuracies[0]!, accuracies.at(-1)!];
    assert.ok(first < 0.3, `an untrained student should be near chance, got ${first}`);
    assert.ok(last > 0.8, `the distilled student should reach 80% test accuracy, got ${last}`);
    const epochEnds = (results?.distilled ?? [])
      .filter((p) => Number.isInteger(p.epoch))
      .map((p) => p.accuracy);
    for (let i = 1; i < epochEnds.length; i++) {
      assert.ok(
        epochEnds[i]! > epochEnds[i - 1]! - 0.02,
        `accuracy fell between epochs: ${epochEnds.join(', ')}`,
      );
    }
  });

  it('the page trains the student alone too, and the teacher well', () => {
    assert.ok((results?.accuracies.alone.at(-1) ?? 0) > 0.8);
    assert.ok((results?.teacherAccuracy ?? 0) > 0.85);
  });

  it('the worker page runs the teacher in a Web Worker with exactly the losses of trainStep', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}worker.html`);
    await page.waitForFunction(
      () => window.__workerResults !== undefined || window.__workerError !== undefined,
      undefined,
      { timeout: PAGE_TIMEOUT_MS, polling: 200 },
    );
    const failure = await page.evaluate(() => window.__workerError);
    assert.equal(failure, undefined, `The worker page failed: ${failure}`);
    assert.deepEqual(errors, []);
    const worker = (await page.evaluate(() => window.__workerResults)) as WorkerResults;
    await page.close();
    assert.deepEqual(worker.backends, ['cpu', 'cpu']);
    assert.equal(worker.workerLosses.length, 8);
    assert.deepEqual(worker.workerLosses, worker.plainLosses);
    assert.equal(worker.leaked, 0);
  });
});
