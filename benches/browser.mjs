// Runs the browser benchmarks in Debian's headless Chromium (Playwright) and prints one
// JSON line per run. Usage: node benches/browser.mjs URL SECONDS ROUNDS CONFIG...
// GAN_BENCH_IMPLS (comma-separated) picks the implementations; GAN_BENCH_EXTRAS=0 skips
// the wasm profile and peak. On a cross-origin isolated page TF.js's wasm backend may run
// with threads: its rows are labelled `tfjs-wasm-isolated`, with the threads it reports.
import { chromium } from 'playwright-core';

const [url, seconds, rounds, ...configs] = process.argv.slice(2);
const impls = (process.env.GAN_BENCH_IMPLS || 'candle-wasm,candle-wasm-fma,tfjs-wasm,tfjs-cpu').split(',');
const extras = process.env.GAN_BENCH_EXTRAS !== '0';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e}`));
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60000 });
  let tfjsLabel = 'tfjs-wasm';
  if (impls.includes('tfjs-wasm')) {
    const info = await page.evaluate(() => window.tfjsInfo());
    if (info.isolated) tfjsLabel = 'tfjs-wasm-isolated';
    console.log(JSON.stringify({ impl: 'tfjs-info', label: tfjsLabel, ...info }));
  }
  for (let r = 0; r < Number(rounds); r++) {
    for (const config of configs) {
      // Alternate the implementations, in a rotated order each round.
      for (let i = 0; i < impls.length; i++) {
        const impl = impls[(i + r) % impls.length];
        try {
          const it = await page.evaluate(([a, b, c]) => window.runBench(a, b, c), [impl, config, Number(seconds)]);
          const label = impl === 'tfjs-wasm' ? tfjsLabel : impl;
          console.log(JSON.stringify({ impl: label, config, round: r, it_per_s: it }));
        } catch (e) {
          // A peer that cannot run a configuration is reported, not hidden.
          const error = String(e.message || e).split('\n')[0].replace(/^page.evaluate: /, '');
          const label = impl === 'tfjs-wasm' ? tfjsLabel : impl;
          console.log(JSON.stringify({ impl: label, config, round: r, error }));
        }
      }
    }
  }
  // Where a candle-wasm iteration's time goes (no allocation counts in the page), and the
  // module's attainable peak on one core.
  if (extras) {
    const gflops = await page.evaluate((s) => window.peakBench(s), Number(seconds));
    console.log(JSON.stringify({ impl: 'peak-wasm', threads: 1, gflops }));
    const fmaGflops = await page.evaluate((s) => window.peakBenchFma(s), Number(seconds));
    console.log(JSON.stringify({ impl: 'peak-wasm-fma', threads: 1, gflops: fmaGflops }));
  }
  for (const config of extras ? configs : []) {
    const p = await page.evaluate(([c, s]) => window.profileBench(c, s), [config, Number(seconds)]);
    console.log(JSON.stringify({ impl: 'candle-wasm', config, path: p.path, profile: { ms_per_iteration: p.ms } }));
  }
} finally {
  await browser.close();
}
