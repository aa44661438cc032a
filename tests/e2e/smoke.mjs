// End-to-end smoke test of the page in Debian's chromium: the first screen trains a 2D
// GAN with no input (the step counter rises, the canvas changes), with no console errors.
// Usage: node tests/e2e/smoke.mjs URL ARTIFACT_DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [url, artifacts = 'test-artifacts'] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
let passed = 0, failed = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(url);
  const state = async () => JSON.parse(await page.locator('#gan-status').textContent());
  await page.waitForFunction(() => document.querySelector('#gan-status').textContent.startsWith('{'));
  const first = await state();
  const pixels = () => page.evaluate(() => document.querySelector('#gan-plane').toDataURL());
  const img1 = await pixels();
  await page.waitForTimeout(2500);
  const second = await state();
  const img2 = await pixels();
  await page.screenshot({ path: `${artifacts}/first-screen.png` });
  const checks = [
    ['training runs with no input', () => assert.ok(second.step > first.step + 100, `steps ${first.step} -> ${second.step}`)],
    ['losses are finite', () => assert.ok(Number.isFinite(second.d_loss) && Number.isFinite(second.g_loss))],
    ['the plane is redrawn', () => assert.notEqual(img1, img2)],
    ['no console errors', () => assert.deepEqual(errors, [])],
  ];
  for (const [name, check] of checks) {
    try { check(); passed++; console.log(`ok - ${name}`); }
    catch (e) { failed++; console.log(`not ok - ${name}: ${e.message}`); }
  }
  console.log(`page state after 2.5 s: ${JSON.stringify(second)}`);
} finally {
  await browser.close();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
