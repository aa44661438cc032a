// The page itself as a benchmark row: steps per second of the real playground at full
// speed, drawing included, and the frames per second it painted meanwhile, in Debian's
// headless Chromium (Playwright). Prints one JSON line per configuration.
//   node benches/page.mjs URL SECONDS CONFIG...
import { chromium } from 'playwright-core';

// The page's link for each configuration of src/core/speed_bench.rs.
const LINKS = {
  '2d-default': 'dataset=ring8&hidden=32&batch=256',
  '2d-small': 'dataset=ring8&hidden=16&batch=64',
  'mnist-mlp': 'mode=mnist&model=mlp-small',
  'mnist-conv': 'mode=mnist&model=dcgan',
};

const [url, seconds, ...configs] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const config of configs) {
    const link = LINKS[config];
    if (!link) {
      console.log(JSON.stringify({ impl: 'page', config, error: 'no page link for this configuration' }));
      continue;
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error(`page error: ${e}`));
    await page.goto(`${url}#${link}`);
    await page.waitForFunction(() => window.ganPlayground && window.ganPlayground.state()
      && window.ganPlayground.state().step !== undefined, null, { timeout: 60000 });
    const notes = await page.evaluate(() => window.ganPlayground.state().error || null);
    await page.click('[data-testid="play-pause"]');
    await page.waitForTimeout(2000);
    // Frames counted by the page's own animation-frame loop's clock, read around the window.
    const read = () => page.evaluate(() => new Promise((resolve) => {
      requestAnimationFrame(() => resolve({ step: window.ganPlayground.state().step, t: performance.now() }));
    }));
    await page.evaluate(() => {
      window.__frames = 0;
      const tick = () => { window.__frames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const a = await read();
    const f0 = await page.evaluate(() => window.__frames);
    await page.waitForTimeout(Number(seconds) * 1000);
    const b = await read();
    const f1 = await page.evaluate(() => window.__frames);
    const secs = (b.t - a.t) / 1000;
    const s = await page.evaluate(() => window.ganPlayground.state());
    // Which module the page's worker took (www/worker.js): `page-isolated` where the page is
    // cross-origin isolated (threads), `page` elsewhere.
    const isolated = await page.evaluate(() => self.crossOriginIsolated === true);
    console.log(JSON.stringify({
      impl: isolated ? 'page-isolated' : 'page', config, threads: s.threads, build: s.build, link, it_per_s: (b.step - a.step) / secs, fps: (f1 - f0) / secs,
      page_steps_per_s: s.steps_per_s, page_fps: s.fps, note: s.error || notes || undefined,
    }));
    await page.close();
  }
} finally {
  await browser.close();
}
