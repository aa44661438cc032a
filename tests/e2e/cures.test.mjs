// Mode collapse: the cures (R1, TTUR, spectral norm, the unrolled critic, the papers'
// presets), the live mode coverage and the benchmark that counts modes over seeds.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('mode-collapse cures: R1, TTUR, spectral norm and the unrolled critic apply live, the papers\' presets restart, all in the link', async (h) => {
  const { page, state } = h;
  await page.getByTestId('play-pause').click();
  await h.stepPast(100);
  await h.setValue('r1', '10');
  await page.getByTestId('ttur').click();
  await h.expectMessage(/TTUR: lr D 0\.0004, lr G 0\.0001/);
  const s = await state();
  assert.match(s.hash, /lrd=0\.0004&lrg=0\.0001/);
  assert.match(s.hash, /r1=10/);
  assert.ok(s.step > 100 && s.running, 'live: no restart');
  // The charts' data reaches the page twice a second: wait for both markers.
  await h.until(() => {
    const c = window.ganPlayground.charts();
    const labels = c ? c.markers.map((m) => m[1]) : [];
    return labels.includes('r1 10') && labels.includes('lrd 0.0004');
  }, null, 'the markers of r1 and TTUR').catch(() => {});
  const labels = (await page.evaluate(() => window.ganPlayground.charts())).markers.map((m) => m[1]);
  assert.ok(labels.includes('r1 10') && labels.includes('lrd 0.0004'), labels.join(', '));
  await h.setValue('r1', '-1');
  await h.expectMessage(/r1: -1 is outside/);
  // Spectral norm and the unrolled critic are live too; the unrolled critic refuses
  // simultaneous updates in one line, and nothing changes.
  const before = (await state()).step;
  await page.getByTestId('sn').selectOption('1');
  await h.setValue('unroll', '3');
  await h.stepPast(before + 20);
  const live = await state();
  assert.match(live.hash, /sn=1/);
  assert.match(live.hash, /unroll=3/);
  assert.ok(live.running && live.step > before, 'live: no restart');
  await page.getByTestId('update-mode').selectOption('simultaneous');
  await h.expectMessage(/unrolled critic needs alternating updates/);
  assert.match((await state()).hash, /update=alternating/);
  await page.getByTestId('play-pause').click();
  // A paper's preset: PacGAN4's networks and packing, in the link, training restarted.
  await page.getByTestId('preset-pacgan4').click();
  await h.expectMessage(/PacGAN4 applied/);
  const p = await state();
  // Over the defaults: the cures set above (spectral norm, unroll, R1) are off again.
  for (const kv of ['hidden=400', 'layers=4', 'gbn=1', 'dhidden=200', 'dlayers=3', 'pack=4', 'batch=100', 'b1d=0.8', 'sn=0', 'unroll=0', 'r1=0']) {
    assert.match(p.hash, new RegExp(`(^|&)${kv}(&|$)`), kv);
  }
  assert.equal(p.step, 0, 'a new model starts at step 0');
  await page.getByTestId('step').click();
  const stepped = await state();
  assert.ok(stepped.step === 1 && !stepped.error, `one PacGAN4 step: ${stepped.step} ${stepped.error}`);
});

e2e('mode coverage under the plane; the benchmark runs seeds in its own worker while training goes on, beside the published rows',
  { open: false, timeout: 600_000 }, async (h, t) => {
    const { page, state } = h;
    await page.goto(h.url);
    // Stored rows that are not whole are dropped.
    await page.evaluate(() => localStorage.setItem('gan-playground.benchmarks', JSON.stringify([{ dataset: 'ring8', label: 'junk' }, 5, null])));
    await page.reload();
    await h.ready();
    const bench = () => page.evaluate(() => window.ganPlayground.benchmarks());
    assert.deepEqual((await bench()).rows, []);
    await page.getByTestId('play-pause').click();
    await h.until(() => window.ganPlayground.state().metrics_step > 0, null, 'the first metrics');
    // The live run: modes covered, a bar per mode, the high-quality share; in one place.
    await h.until(() => /modes \d\/8\s+· HQ \d+%/.test(document.getElementById('mode-live').textContent), null,
      async () => `the live coverage: it reads "${await page.getByTestId('mode-live').textContent()}"`);
    assert.equal(await page.locator('[data-testid=mode-live] [data-testid=mode-bars] i').count(), 8);
    assert.equal(await page.locator('#gan-status [data-testid=mode-bars]').count(), 0, 'not in the readout as well');
    await page.getByTestId('bench-open').click();
    assert.equal(await page.getByTestId('bench-runs').inputValue(), '4');
    assert.equal(await page.getByTestId('bench-iterations').inputValue(), '5000');
    // A bad input is refused in one line in the panel, nothing runs.
    await page.getByTestId('bench-runs').fill('0');
    await page.getByTestId('bench-start').click();
    assert.match(await page.getByTestId('bench-status').textContent(), /runs: 0 is outside 1\.\.=100/);
    await h.setValue('bench-iterations', '10');
    assert.match(await page.getByTestId('bench-status').textContent(), /runs: 0 is outside/);
    await page.getByTestId('bench-runs').fill('2');
    await page.getByTestId('bench-start').click();
    assert.match(await page.getByTestId('bench-status').textContent(), /iterations: 10 is outside 100\.\.=100000/);
    assert.equal((await bench()).live, null);
    // 2 runs × 200 iterations of the page's configuration, seeds 1 and 2.
    await page.getByTestId('bench-iterations').fill('200');
    const rows0 = (await bench()).rows.length;
    const s0 = await state();
    const t0 = Date.now();
    await page.getByTestId('bench-start').click();
    const done = (n) => h.until((n) => window.ganPlayground.benchmarks().rows.length > n && !window.ganPlayground.benchmarks().live, n,
      async () => `the benchmark's row: ${JSON.stringify(await bench())}; the panel says "${await page.getByTestId('bench-status').textContent()}"`);
    await done(rows0);
    const took = (Date.now() - t0) / 1000;
    // Training went on: it still runs, and its steps carry on from where they were.
    await h.stepPast(s0.step);
    const s1 = await state();
    assert.ok(s1.running && s1.step > s0.step, `training went on: step ${s0.step} -> ${s1.step}`);
    const r = (await bench()).rows.at(-1);
    assert.deepEqual([r.dataset, r.label, r.runs, r.iterations, r.summary.runs.length, r.summary.modes_total], ['ring8', 'non-saturating', 2, 200, 2, 8]);
    assert.deepEqual(r.summary.runs.map((x) => [x.seed, x.iterations]), [[1, 200], [2, 200]]);
    for (const x of r.summary.runs) {
      assert.ok(x.score, `run ${x.seed} diverged: ${x.diverged}`);
      assert.ok(x.score.modes_papers >= 0 && x.score.modes_papers <= 8, `modes ${x.score.modes_papers}`);
      assert.ok(x.score.high_quality >= 0 && x.score.high_quality <= 1, `high quality ${x.score.high_quality}`);
    }
    // The table: the papers' rows for ring8, then this one with its per-run list.
    assert.equal(await page.getByTestId('bench-published-row').count(), 6);
    assert.match(await page.locator('#bench-published').textContent(), /PacGAN4.*7\.8.*95\.9/);
    const mine = page.getByTestId('bench-row').last();
    const cells = await mine.locator('td').allTextContents();
    assert.equal(cells[0], 'non-saturating');
    assert.match(cells[1], /^\d\.\d ± \d\.\d$/);
    assert.match(cells[5], /^\d\/\d+, \d\/\d+$/);
    assert.deepEqual(cells.slice(6, 7), ['200']);
    assert.match(await page.getByTestId('bench-status').textContent(), /non-saturating: 2 runs of 200 iterations in [\d.]+ s: modes/);
    t.diagnostic(`benchmark of 2 × 200 iterations: ${took.toFixed(1)} s from the click to the row (${r.seconds.toFixed(2)} s in the worker); the page trained ${s1.step - s0.step} steps by then`);
    // A long one: training goes on beside it (300 steps while it is still running, however
    // long they take), and cancel stops it with nothing kept.
    await page.getByTestId('bench-iterations').fill('100000');
    await page.getByTestId('bench-start').click();
    await h.until(() => window.ganPlayground.benchmarks().live !== null, null, 'the long benchmark to start');
    assert.ok(await page.getByTestId('bench-start').isDisabled(), 'one benchmark at a time');
    const a = await state();
    const ta = Date.now();
    await h.stepPast(a.step + 300);
    const b = await state();
    const live = (await bench()).live;
    assert.ok(b.step - a.step > 300 && live !== null, `training beside a benchmark: ${b.step - a.step} steps while it ran (${live === null ? 'it had ended' : 'it was still running'})`);
    t.diagnostic(`training beside a benchmark: ${b.step - a.step} steps in ${((Date.now() - ta) / 1000).toFixed(1)} s`);
    await page.getByTestId('bench-cancel').click();
    assert.equal((await bench()).live, null);
    assert.equal((await bench()).rows.length, rows0 + 1, 'a cancelled benchmark adds no row');
    assert.match(await page.getByTestId('bench-status').textContent(), /cancelled after 0 of 2 runs/);
    assert.ok(!(await page.getByTestId('bench-start').isDisabled()));
    await page.getByTestId('bench-iterations').fill('200');
    // Data without modes: the button is disabled and says why.
    await page.getByTestId('dataset-select').selectOption('spiral');
    await state();
    assert.ok(await page.getByTestId('bench-start').isDisabled());
    assert.match(await page.getByTestId('bench-start').getAttribute('title'), /spiral has no modes to count/);
    assert.match(await page.getByTestId('bench-status').textContent(), /cannot benchmark: .*spiral has no modes/);
    assert.match(await page.getByTestId('mode-live').textContent(), /none defined/);
    assert.equal(await page.getByTestId('bench-published-row').count(), 0, 'no published rows for the spiral');
    await page.getByTestId('dataset-select').selectOption('ring8');
    await state();
    assert.ok(!(await page.getByTestId('bench-start').isDisabled()));
    // The best preset, through the settings path: the link then holds each of its values.
    await h.setValue('k-steps', '3');
    await page.getByTestId('bench-preset').click();
    await state();
    const preset = await page.evaluate(() => window.wasmBindings.mode_cure_preset());
    await h.expectMessage(/^best preset /);
    const hash = (await state()).hash;
    for (const kv of preset.split('&')) assert.ok(`&${hash}&`.includes(`&${kv}&`), `${kv} in ${hash}`);
    assert.match(hash, /&k=1&/, 'the live settings it does not name go back to their defaults');
    // The preset's row beside the first; the table copies as Markdown.
    await page.getByTestId('bench-start').click();
    await done(rows0 + 1);
    assert.equal(await page.getByTestId('bench-row').count(), 2);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
    const said = await page.getByTestId('bench-status').textContent();
    await page.getByTestId('bench-copy').click();
    // The copy answers once the clipboard has: the text is there, or the panel says why not.
    await h.until((said) => document.querySelector('[data-testid=bench-status]').textContent !== said, said, 'the copy\'s note').catch(() => {});
    const md = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
    if (!md) assert.match(await page.getByTestId('bench-status').textContent(), /refused the clipboard/);
    else {
      assert.match(md, /^\| configuration \(ring8\) \| modes \(papers\) \|/);
      assert.match(md, /\n\| PacGAN4 \(PacGAN Table 1\) \| 7\.8 \| – \| 95\.9 \|/);
      assert.match(md, /\n\| non-saturating \| \d\.\d ± \d\.\d \|/);
    }
    // As a user sees it, with a filled table.
    for (const [w, ht] of [[1280, 800], [1024, 640]]) {
      const box = await h.layoutAt(w, ht, ['bench-card', 'gan-plane', 'bench-open']);
      assert.ok(box.scroll[0] <= w && box.scroll[1] <= ht, `${w}×${ht}: scrolls (${box.scroll})`);
      const [l, tp, rr, bb] = box.rects['bench-card'];
      assert.ok(l >= 0 && tp >= box.rects['gan-plane'][1] - 1 && rr <= w && bb <= box.rects['bench-open'][1] + 1, `${w}×${ht}: the card at ${[l, tp, rr, bb].map(Math.round)} lies over the plane`);
      await h.shot(`benchmark-${w}x${ht}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('bench-close').click();
    assert.ok(!(await page.getByTestId('bench-card').isVisible()));
    // The rows outlive the page.
    await page.reload();
    await h.ready();
    const kept = (await bench()).rows;
    assert.deepEqual([kept.length, kept[0].label, kept[0].cells], [2, r.label, r.cells]);
  });
