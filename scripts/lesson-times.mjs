// How long each lesson takes in the page, from Play to its observation turning true
// (headless Chromium, this machine; at most `limit` seconds each). Not part of the test
// command: it takes minutes. Usage: node scripts/lesson-times.mjs URL [limit_s]
import { chromium } from 'playwright-core';
const [url, limit = '90'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(url);
await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.lessons);
const lessons = await page.evaluate(() => JSON.parse(window.wasmBindings.lessons()));
const rows = [];
for (const l of lessons) {
  await page.goto('about:blank');
  await page.goto(`${url}#${l.link}`);
  try {
    await page.waitForFunction((id) => { const s = window.ganPlayground && window.ganPlayground.state(); return s && s.lesson && s.lesson.id === id && s.fps > 0; }, l.id, { timeout: 60000 });
  } catch (e) {
    rows.push([l.id, 'did not open', '', String(e).split('\n')[0]]);
    console.error(rows.at(-1).join(' | '));
    continue;
  }
  // Lesson 1's claim needs a larger k after a while at k = 1, as its text says.
  await page.getByTestId('play-pause').click();
  const t0 = Date.now();
  let raised = false, done = false;
  while (!done && Date.now() - t0 < Number(limit) * 1000) {
    await page.waitForTimeout(500);
    const s = await page.evaluate(() => window.ganPlayground.state());
    if (l.id === 'd-star' && !raised && Date.now() - t0 > 10000) {
      raised = true;
      await page.getByTestId('k-steps').fill('10');
      await page.getByTestId('k-steps').dispatchEvent('change');
    }
    if (l.id === 'cyclegan' && s.lesson.holds && s.lambda > 0) {
      rows.push([`${l.id} (λ = 10)`, ((Date.now() - t0) / 1000).toFixed(1), s.step, s.lesson.text]);
      console.error(rows.at(-1).join(' | '));
      await page.getByTestId('cycle-lambda').fill('0');
      await page.getByTestId('cycle-lambda').dispatchEvent('change');
      continue;
    }
    if (s.lesson.holds && !(l.id === 'cyclegan' && !/at λ = 0/.test(s.lesson.text))) {
      done = true;
      rows.push([l.id + (l.id === 'cyclegan' ? ' (then λ = 0)' : ''), ((Date.now() - t0) / 1000).toFixed(1), s.step, s.lesson.text]);
      console.error(rows.at(-1).join(' | '));
    }
  }
  if (!done) {
    const s = await page.evaluate(() => window.ganPlayground.state());
    rows.push([l.id, `not in ${limit}`, s.step, s.lesson.text]);
  }
}
console.log('| lesson | seconds to ✓ | step | observation |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
await browser.close();
