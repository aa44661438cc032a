// Weights trained natively (on the CPU or on CUDA) load into the page and draw the same
// digits: the page's grid digest equals the one the CLI printed in its JSON summary.
// mnist.test.mjs runs it on the test command's CPU-trained model; alone, it checks any model:
//   node tests/e2e/weights.mjs URL WEIGHTS.safetensors SUMMARY.json [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/// Loads `weights` through the page's file input (the page must be in MNIST mode) and
/// checks the model and the digest against `summary`, the CLI's JSON. Returns the state.
export async function loadAndCompare(page, weights, summary) {
  await page.getByTestId('load-weights').setInputFiles(weights);
  await page.waitForFunction(() => window.ganPlayground.state().loaded, null, { timeout: 120000 });
  await page.evaluate(() => window.ganPlayground.settled());
  const s = await page.evaluate(() => window.ganPlayground.state());
  assert.equal(s.model, summary.model);
  assert.equal(s.grid_digest.length, summary.grid_digest.length);
  s.grid_digest.forEach((v, i) => assert.ok(Math.abs(v - summary.grid_digest[i]) < 1e-4,
    `image ${i}: page ${v}, native ${summary.grid_digest[i]}`));
  return s;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, weights, summaryPath, shot] = process.argv.slice(2);
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#mode=mnist`);
    await page.waitForFunction(() => window.ganPlayground && window.ganPlayground.state().mode === 'mnist', null, { timeout: 120000 });
    const s = await loadAndCompare(page, weights, summary);
    if (shot) { await page.waitForTimeout(600); await page.screenshot({ path: shot }); }
    console.log(`ok - ${weights} (${summary.model}, trained on ${summary.device ?? 'cpu'}) loads in the page: digest ${s.grid_digest.map(v => v.toFixed(4)).join(' ')}`);
  } finally {
    await browser.close();
  }
}
