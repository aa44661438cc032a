// Runs the browser benchmarks in Debian's headless Chromium (Playwright) and prints one
// JSON line per run. Usage: node benches/browser.mjs URL SECONDS ROUNDS CONFIG...
import { chromium } from 'playwright-core';

const [url, seconds, rounds, ...configs] = process.argv.slice(2);
const impls = ['candle-wasm', 'tfjs-wasm', 'tfjs-cpu'];
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
  for (let r = 0; r < Number(rounds); r++) {
    for (const config of configs) {
      // Alternate the implementations, in a rotated order each round.
      for (let i = 0; i < impls.length; i++) {
        const impl = impls[(i + r) % impls.length];
        try {
          const it = await page.evaluate(([a, b, c]) => window.runBench(a, b, c), [impl, config, Number(seconds)]);
          console.log(JSON.stringify({ impl, config, round: r, it_per_s: it }));
        } catch (e) {
          // A peer that cannot run a configuration is reported, not hidden.
          const error = String(e.message || e).split('\n')[0].replace(/^page.evaluate: /, '');
          console.log(JSON.stringify({ impl, config, round: r, error }));
        }
      }
    }
  }
  // Where a candle-wasm iteration's time goes (no allocation counts in the page).
  for (const config of configs) {
    const p = await page.evaluate(([c, s]) => window.profileBench(c, s), [config, Number(seconds)]);
    console.log(JSON.stringify({ impl: 'candle-wasm', config, path: p.path, profile: { ms_per_iteration: p.ms } }));
  }
} finally {
  await browser.close();
}
