// The charts: every step drawn, live changes marked, and exports (PNG, CSV, WebM).
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('charts show every step, mark live changes, and export as PNG and CSV; the plane as PNG and WebM', async (h) => {
  const { page, state } = h;
  await page.getByTestId('play-pause').click();
  // A few hundred steps, and charts drawn from them.
  await h.stepPast(300);
  await h.until(() => { const c = window.ganPlayground.charts(); return c && c.points > 0 && c.losses > 10 * c.points; }, null,
    async () => `a loss vertex per step: ${JSON.stringify(await page.evaluate(() => window.ganPlayground.charts()))}`).catch(() => {});
  const c1 = await page.evaluate(() => window.ganPlayground.charts());
  assert.ok(c1.losses > 10 * c1.points, `the loss chart has a vertex per step or bin (${c1.losses}), the metrics ${c1.points}`);
  const at = (await state()).step;
  await h.setValue('k-steps', '3');
  // The change is marked on the charts the worker sends next.
  await h.until(() => { const c = window.ganPlayground.charts(); return c && c.markers.some(([, label]) => label === 'k 3'); }, null,
    async () => `k's marker: ${JSON.stringify((await page.evaluate(() => window.ganPlayground.charts())).markers)}`).catch(() => {});
  // Paused before the charts are read: a metric point added between the read and the
  // export would make the CSV one row longer.
  await page.getByTestId('play-pause').click();
  await state();
  // The last metric after the pause (of the step it stopped at), however long it takes.
  await h.until(() => { const s = window.ganPlayground.state(); return s.metrics_step === s.step; }, null,
    'the last metric after the pause').catch(() => {});
  // The charts it brings may still be on their way: the CSV counts when the charts read
  // just before and just after its export agree.
  let c2, csvName, csv;
  for (let i = 0; ; i++) {
    c2 = await page.evaluate(() => window.ganPlayground.charts());
    [csvName, csv] = await h.save('[data-export="csv"][data-chart="1"]');
    const c = await page.evaluate(() => window.ganPlayground.charts());
    if (c.points === c2.points || i === 20) break;
    await page.waitForTimeout(300);
  }
  const mark = c2.markers.find(([, label]) => label === 'k 3');
  assert.ok(mark && mark[0] >= at, `k's change is marked: ${JSON.stringify(c2.markers)}`);
  assert.match(csvName, /^gan-playground-divergences-ring8-non-saturating-step\d+\.csv$/);
  const lines = csv.toString().trim().split('\n');
  assert.equal(lines[0], "step,JS,KL,reverse KL,W1,from D's loss,its true value");
  assert.equal(lines.length - 1, c2.points, 'a row per metric point');
  const [, lossCsv] = await h.save('[data-export="csv"][data-chart="0"]');
  // The means of the whole run: from its first steps to its last (their number halves
  // each time it passes 600, so it is not compared with an earlier count).
  const lossRows = lossCsv.toString().trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.ok(lossRows.length >= 100 && lossRows[0][0] < 50, `the loss CSV: ${lossRows.length} means from step ${lossRows[0][0]}`);
  assert.ok(lossRows.at(-1)[0] >= at, 'to the end of the run');
  const [pngName, png] = await h.save('[data-export="png"][data-chart="0"]');
  assert.match(pngName, /losses.*\.png$/);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
  const [, plane] = await h.save('[data-testid="plane-png"]');
  assert.deepEqual([...plane.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  // A video of the run: record a second or more of training (and a hundred steps of
  // repainting, however long they take), stop, and get a WebM file.
  await page.getByTestId('play-pause').click();
  const recordAt = (await state()).step;
  await page.getByTestId('plane-record').click();
  await page.waitForTimeout(1200);
  await h.stepPast(recordAt + 100);
  const [webmName, webm] = await h.save('[data-testid="plane-record"]');
  assert.match(webmName, /\.webm$/);
  assert.deepEqual([...webm.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'a WebM (EBML) file');
  assert.ok(webm.length > 1000, `${webm.length} bytes`);
  await h.shot('charts.png');
});
