// Trains one configuration in the real page (Debian's chromium, Playwright) for a fixed
// time and prints what it reached: the iteration count and the live readout's modes and
// high-quality share (1,000 samples per evaluation, `session::plane::EVAL_SAMPLES`).
//   node scripts/page-target.mjs URL LINK SECONDS
// scripts/page-target.sh builds the page, serves it and calls this for ring8 and grid25.
import { chromium } from 'playwright-core';

const [url, link, seconds] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${url}#${link}`);
  await page.waitForFunction(() => window.ganPlayground && window.ganPlayground.state());
  const read = () => page.evaluate(() => {
    const s = window.ganPlayground.state();
    const hq = s.mode_counts.reduce((a, b) => a + b, 0) / 1000;
    return { step: s.step, modes: s.modes_covered, of: s.modes_total, high_quality: hq, error: s.error || null };
  });
  await page.click('[data-testid="play-pause"]');
  const t0 = Date.now();
  const trace = [];
  for (let t = 10; t <= Number(seconds); t += 10) {
    await page.waitForTimeout(t0 + t * 1000 - Date.now());
    trace.push({ seconds: t, ...(await read()) });
  }
  await page.click('[data-testid="play-pause"]');
  // The readout after the last iterations: wait for one more evaluation.
  await page.waitForTimeout(1500);
  console.log(JSON.stringify({ link, seconds: Number(seconds), final: await read(), trace }));
} finally {
  await browser.close();
}
