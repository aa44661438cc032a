// The controls change the run live or restart it, as the engine's settings say; bad
// values are refused with a message.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('loss and k change while training, from the same step on', async (h) => {
  const { page, state } = h;
  await h.playing();
  await h.stepPast(0);
  const before = await state();
  await page.getByTestId('loss-select').selectOption('hinge');
  await h.setValue('k-steps', '3');
  const switched = await state();
  assert.equal(switched.loss, 'hinge');
  assert.equal(switched.k, 3);
  // k_G, GAN Lab's second k: live, in the link, in the model strip.
  await h.setValue('kg-steps', '2');
  const g2 = await state();
  assert.equal(g2.kg, 2);
  assert.match(await page.evaluate(() => location.hash), /&kg=2&/);
  assert.match(await page.locator('#node-loss').textContent(), /k_G = 2/);
  const g2steps = [g2.d_steps, g2.g_steps];
  // Enough D steps for the ratio to be measured to 0.05, however long they take.
  await h.until((n) => window.ganPlayground.state().d_steps >= n, g2.d_steps + 300, '300 more D steps');
  const g3 = await state();
  const ratio = (g3.g_steps - g2steps[1]) / (g3.d_steps - g2steps[0]);
  assert.ok(Math.abs(ratio - 2 / 3) < 0.05, `G steps per D step ${ratio}, want 2/3`);
  await h.setValue('kg-steps', '1');
  assert.match((await state(), await page.getByTestId('formula-d').textContent()), /max\(0, 1 − V\(x\)\)/);
  assert.ok(switched.step >= before.step, 'the step counter was not reset');
  await h.stepPast(switched.step + 50);
  const after = await state();
  assert.ok(after.step > switched.step + 50, `training continued: ${switched.step} -> ${after.step}`);
  assert.equal(after.running, true);
  assert.match((await state(), await page.evaluate(() => location.hash)), /loss=hinge.*k=3|k=3.*loss=hinge/);
});

e2e('the loss menu lists every loss, grouped by family', async (h) => {
  const { page, state } = h;
  await h.setValue('k-steps', '3');
  const groups = await page.evaluate(() => [...document.querySelectorAll('#loss-select optgroup')]
    .map(g => [g.label, [...g.querySelectorAll('option')].map(o => o.value)]));
  assert.deepEqual(groups.map(g => g[0]), ['classic', 'f-GAN', 'Wasserstein', 'least squares and hinge', 'energy-based']);
  const all = groups.flatMap(g => g[1]);
  for (const l of ['minimax', 'non-saturating', 'boundary-seeking', 'f-kl', 'f-kl-sat', 'f-pearson', 'wgan', 'wgan-gp', 'lsgan', 'hinge', 'ebgan']) {
    assert.ok(all.includes(l), `${l} missing from the menu`);
  }
  await page.getByTestId('loss-select').selectOption('f-kl-sat');
  assert.equal((await state()).loss, 'f-kl-sat');
  assert.match((await state(), await page.getByTestId('model-strip').textContent()), /f-kl-sat, k = 3/);
  await page.getByTestId('loss-select').selectOption('hinge');
  assert.equal((await state()).loss, 'hinge');
});

e2e('a bad k is refused with a message and nothing changes', async (h) => {
  const { page, state } = h;
  await h.setValue('k-steps', '3');
  assert.equal((await state()).k, 3);
  await h.setValue('k-steps', '0');
  assert.equal((await state()).k, 3);
  // The control's limits come from the engine's setting table, not from the HTML.
  assert.deepEqual(await page.evaluate(() => [document.getElementById('k-steps').min, document.getElementById('k-steps').max]), ['1', '100']);
  await h.expectMessage(/k: 0 is outside 1\.\.=100/);
});

e2e('learning rates, optimizer and update mode change live', async (h) => {
  const { page, state } = h;
  await h.playing();
  await h.setValue('lr-d', '0.0005');
  await page.getByTestId('optimizer').selectOption('rmsprop');
  await page.getByTestId('update-mode').selectOption('simultaneous');
  const hash = await h.hash();
  assert.match(hash, /lrd=0.0005/);
  assert.match(hash, /optd=rmsprop/);
  assert.match(hash, /optg=rmsprop/);
  assert.match(hash, /update=simultaneous/);
  const s = await state();
  await h.stepPast(s.step);
  assert.ok((await state()).step > s.step, 'still training');
  await page.getByTestId('update-mode').selectOption('alternating');
  await page.getByTestId('optimizer').selectOption('adam');
  const back = await h.hash();
  assert.match(back, /update=alternating/);
  assert.match(back, /optd=adam/);
});

e2e('changing the data set restarts and says so; reset restarts', async (h) => {
  const { page, state } = h;
  await page.getByTestId('loss-select').selectOption('hinge');
  await h.playing();
  await h.stepPast(20);
  // Paused, a restart and a reset are exact whatever the machine's speed: step 0.
  await h.paused();
  await page.getByTestId('dataset-select').selectOption('grid25');
  const s = await state();
  assert.equal(s.dataset, 'grid25');
  assert.equal(s.step, 0, 'restarted at step 0');
  await h.expectMessage(/restarted/);
  await h.playing();
  await h.stepPast(20); // the new run trains before it is reset
  await h.paused();
  await page.getByTestId('reset').click();
  const r = await state();
  assert.equal(r.step, 0, 'reset to step 0');
  assert.equal(r.dataset, 'grid25');
  assert.equal(r.loss, 'hinge');
  // While training, a restart goes on training on the new data.
  await h.playing();
  await page.getByTestId('dataset-select').selectOption('ring8');
  await h.expectMessage(/restarted/);
  const t = await state();
  assert.equal(t.dataset, 'ring8');
  assert.equal(t.running, true);
  await h.stepPast(t.step);
});

e2e('architecture changes restart and are kept in the link', async (h) => {
  const { page, state } = h;
  await h.playing();
  await h.setValue('hidden', '24');
  await page.getByTestId('activation').selectOption('tanh');
  const hash = await h.hash();
  assert.match(hash, /hidden=24/);
  assert.match(hash, /act=tanh/);
  await h.expectMessage(/restarted/);
  await h.stepPast(0);
  assert.ok((await state()).step > 0, 'the new model trains');
  await h.setValue('hidden', '0');
  await h.expectMessage(/hidden: 0 is outside/);
  await h.setValue('hidden', '32');
  await page.getByTestId('activation').selectOption('relu');
  assert.match(await h.hash(), /hidden=32/);
});

e2e('every setting of every session has a control with the engine\'s limits; one the markup lacks gets its own', { open: false }, async (h) => {
  const { page } = h;
  // A setting the markup lacks: the unrolled-D control is taken out before the page's
  // modules run (readyState "interactive" comes before module scripts execute).
  await page.addInitScript(() => document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') document.getElementById('unroll')?.closest('label')?.remove();
  }));
  await page.goto(h.url);
  await h.ready();
  assert.equal(await page.locator('#unroll').count(), 0, 'the markup\'s control is gone');
  const made = page.getByTestId('setting-unroll');
  assert.ok(await made.isVisible(), 'unroll has a control of its own under "more settings"');
  await h.setValue('setting-unroll', '2');
  assert.match(await h.hash(), /unroll=2/);
  const modes = await page.evaluate(() => [...document.querySelectorAll('#mode-select option')].map((o) => o.value));
  assert.ok(modes.length >= 5, `the game menu: ${modes}`);
  for (const mode of modes) {
    await page.getByTestId('mode-select').selectOption(mode);
    await h.until((m) => window.ganPlayground.state().mode === m, mode, `the session ${mode}`);
    const wrong = await page.evaluate(() => {
      const shown = [...document.querySelectorAll('[data-key]')].filter((el) => !el.closest('[hidden]'));
      const out = [];
      for (const s of window.ganPlayground.settings()) {
        if (s.kind === 'points') continue;
        const mine = shown.filter((el) => el.dataset.key.split(',').includes(s.key));
        if (mine.length === 0) out.push(`${s.key}: no control shown`);
        for (const el of mine) {
          if (s.min !== null && el instanceof HTMLInputElement && el.min !== String(s.min)) out.push(`${s.key}: min ${el.min}, engine ${s.min}`);
          if (s.max !== null && el instanceof HTMLInputElement && el.max !== String(s.max)) out.push(`${s.key}: max ${el.max}, engine ${s.max}`);
        }
      }
      return out;
    });
    assert.deepEqual(wrong, [], `${mode}: every setting has a control with the engine's limits`);
    // The made control shows in the sessions whose game honours the setting, only there.
    const has = await page.evaluate(() => window.ganPlayground.settings().some((s) => s.key === 'unroll'));
    assert.equal(await made.isVisible(), has, `${mode}: the made control shows where the session has the setting`);
    // And a control of a setting this session lacks is not shown (the xy game's loss).
    const lossShown = await page.getByTestId('loss-select').isVisible();
    const hasLoss = await page.evaluate(() => window.ganPlayground.settings().some((s) => s.key === 'loss'));
    assert.equal(lossShown, hasLoss, `${mode}: the loss menu shows only where the game has a loss`);
  }
});

e2e('the data sets are picked from thumbnails of their points: a press restarts on it and marks it', async (h) => {
  const { page, state } = h;
  const thumbs = page.getByTestId('dataset-thumbs').locator('button');
  const options = await page.getByTestId('dataset-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
  // Every preset of the menu, and only they ("your points" is drawn, not picked).
  assert.deepEqual(await thumbs.evaluateAll((bs) => bs.map((b) => b.dataset.dataset)), options.filter((o) => o !== 'custom'));
  // Each thumbnail shows points: coloured pixels, and not the same picture twice.
  const pictures = await thumbs.evaluateAll((bs) => bs.map((b) => {
    const c = b.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dots = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200) dots++;
    return { dots, url: c.toDataURL() };
  }));
  for (const [i, p] of pictures.entries()) assert.ok(p.dots > 30, `${options[i]}: ${p.dots} coloured pixels`);
  assert.equal(new Set(pictures.map((p) => p.url)).size, pictures.length, 'each data set its own picture');
  assert.equal(await page.locator('#dataset-thumbs button[aria-pressed="true"]').getAttribute('data-dataset'), 'ring8');
  await h.playing();
  await h.stepPast(5);
  await page.locator('#dataset-thumbs button[data-dataset="moons"]').click();
  await h.until(() => window.ganPlayground.state().dataset === 'moons', null, 'the two moons');
  const s = await state();
  assert.equal(s.dataset, 'moons');
  assert.equal(await page.getByTestId('dataset-select').inputValue(), 'moons');
  assert.equal(await page.locator('#dataset-thumbs button[aria-pressed="true"]').getAttribute('data-dataset'), 'moons');
  assert.match(await page.evaluate(() => location.hash), /dataset=moons/);
});
