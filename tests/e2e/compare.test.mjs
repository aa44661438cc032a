// Compare mode: run B beside run A, in lockstep, with its own settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { e2e } from './fixture.mjs';

e2e('compare mode: run B beside run A on the same seed, in lockstep, with its own loss; both on the charts and in the link', async (h) => {
  const { page, state } = h;
  await page.getByTestId('compare').check();
  await h.expectMessage(/compare: run B trains in lockstep beside run A/);
  let s = await state();
  assert.equal(s.compare, true);
  assert.deepEqual([s.step, s.b.step], [0, 0]);
  assert.ok(await page.getByTestId('plane-b').isVisible(), 'run B has its plane');
  assert.ok(await page.getByTestId('b-loss').isVisible(), 'and its controls');
  // With the same settings the two runs are one run: the same numbers, the same picture.
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  s = await state();
  assert.deepEqual([s.b.step, s.b.d_loss, s.b.g_loss], [s.step, s.d_loss, s.g_loss]);
  // Both planes are repainted from the last step's frame: wait until they agree.
  await h.until(() => document.getElementById('gan-plane').toDataURL() === document.getElementById('gan-plane-b').toDataURL(), null,
    'the two planes to show the same picture').catch(() => {});
  const [pa, pb] = await page.evaluate(() => [document.getElementById('gan-plane').toDataURL(), document.getElementById('gan-plane-b').toDataURL()]);
  assert.ok(pa === pb, 'same weights, same fixed noise: the same plane');
  // B's own loss and k, live.
  await page.getByTestId('b-loss').selectOption('minimax');
  await h.setValue('b-k', '5');
  s = await state();
  assert.deepEqual([s.loss, s.k, s.b.loss, s.b.k], ['non-saturating', 1, 'minimax', 5]);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /cmp=1/);
  assert.match(hash, /b\.loss=minimax/);
  assert.match(hash, /b\.k=5/);
  assert.match(await page.getByTestId('tag-a').textContent(), /A · non-saturating, k = 1/);
  assert.match(await page.getByTestId('tag-b').textContent(), /B · minimax, k = 5/);
  await page.getByTestId('play-pause').click();
  await h.until(() => window.ganPlayground.state().step > 300 && window.ganPlayground.state().b.metrics_step > 0, null,
    async () => `300 steps and a metric of B: ${JSON.stringify(await state())}`);
  await page.getByTestId('play-pause').click();
  s = await state();
  assert.equal(s.b.step, s.step, 'lockstep: the same step whenever the page looks');
  assert.ok(s.b.d_steps >= 4.5 * s.d_steps, `B's k = 5: ${s.b.d_steps} D steps against A's ${s.d_steps}`);
  assert.notEqual(s.b.d_loss, s.d_loss);
  // The readout is written on the next animation frame.
  await h.until((n) => document.querySelector('[data-testid=status-b]').textContent.includes(`run B step ${n} · D`), s.b.step,
    async () => `the readout of step ${s.b.step}: it says ${await page.getByTestId('status-b').textContent()}`);
  // The charts come with the frames after the pause.
  await h.until(() => { const c = window.ganPlayground.charts(); return c && c.points_b > 0 && c.losses_b > 10
    && c.markers.some((m) => m[1] === 'B: loss minimax') && c.markers.some((m) => m[1] === 'B: k 5'); }, null,
    'run B on the charts').catch(() => {});
  const c = await page.evaluate(() => window.ganPlayground.charts());
  assert.ok(c.points_b > 0 && c.losses_b > 10, `run B on the charts: ${JSON.stringify(c)}`);
  const labels = c.markers.map((m) => m[1]);
  assert.ok(labels.includes('B: loss minimax') && labels.includes('B: k 5'), labels.join(', '));
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"][data-chart="1"]').click()]);
  const csv = readFileSync(await d.path(), 'utf8');
  assert.match(csv, /^run,step,JS,/);
  assert.match(csv, /\nA,\d+,/);
  assert.match(csv, /\nB,\d+,/);
  await h.shot('compare.png');
  // Both planes and the charts fit at 1024×640 too.
  const ids = ['gan-plane', 'gan-plane-b', 'chart-losses', 'chart-divergences', 'play-pause'];
  for (const [w, ht] of [[1024, 640], [1920, 1080]]) {
    const box = await h.layoutAt(w, ht, ids);
    assert.ok(box.scroll[0] <= w && box.scroll[1] <= ht, `${w}×${ht}: scrolls (${box.scroll})`);
    for (const [id, [l, t, r, b]] of Object.entries(box.rects)) {
      assert.ok(l >= 0 && t >= 0 && r <= w + 0.5 && b <= ht + 0.5, `${w}×${ht}: ${id} at ${[l, t, r, b].map(Math.round)} is not fully in view`);
    }
    const [a, b] = [box.rects['gan-plane'], box.rects['gan-plane-b']];
    assert.ok(Math.abs((a[2] - a[0]) - (b[2] - b[0])) < 1 && a[2] <= b[0], `${w}×${ht}: B beside A, the same size`);
    if (w === 1024) await h.shot('compare-1024x640.png');
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // The link reopens the comparison.
  await page.reload();
  await h.ready();
  s = await state();
  assert.deepEqual([s.compare, s.b.loss, s.b.k, s.step, s.b.step], [true, 'minimax', 5, 0, 0]);
  await page.getByTestId('compare').uncheck();
  await h.expectMessage(/compare off/);
  assert.ok(!(await page.getByTestId('plane-b').isVisible()));
  assert.doesNotMatch(await page.evaluate(() => location.hash), /cmp=/);
});

e2e('compare mode: a run that diverges stops alone, with its own banner',
  { hash: '#cmp=1&b.optd=sgd&b.optg=sgd&b.lrd=10&b.lrg=10&b.loss=f-kl' }, async (h) => {
    const { page, state } = h;
    await page.getByTestId('play-pause').click();
    await h.until(() => window.ganPlayground.state().b.error, null, 'run B to diverge');
    const s1 = await state();
    await h.until(() => document.querySelector('[data-testid=diverged-b]').checkVisibility(), null, 'B\'s banner').catch(() => {});
    assert.ok(await page.getByTestId('diverged-b').isVisible(), 'B has its banner');
    assert.match(await page.getByTestId('diverged-b').textContent(), /run B: diverged at step \d+.*run A trains on/s);
    assert.ok(!(await page.getByTestId('diverged').isVisible()), 'A has none');
    assert.match(await page.getByTestId('play-pause').textContent(), /Pause/);
    await h.stepPast(s1.step + 50);
    const s2 = await state();
    assert.ok(s2.step > s1.step + 50, `A trains on: ${s1.step} -> ${s2.step}`);
    assert.equal(s2.b.step, s1.b.step, 'B stays where it diverged');
    // Paused, Reset starts both again (B at lr 10 would diverge again at once).
    await page.getByTestId('play-pause').click();
    await page.getByTestId('reset').click();
    const s3 = await state();
    assert.deepEqual([s3.b.error, s3.b.step, s3.step], [null, 0, 0]);
    await h.until(() => !document.querySelector('[data-testid=diverged-b]').checkVisibility(), null, 'B\'s banner to go').catch(() => {});
    assert.ok(!(await page.getByTestId('diverged-b').isVisible()));
  });
