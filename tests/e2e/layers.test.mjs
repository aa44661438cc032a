// What the plane shows and how the page explains it: the layers, the legends and help,
// the keys, and a layout that fits the screen.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('every layer draws, and each toggle changes the picture', async (h) => {
  const { page, state } = h;
  // A trained moment, then paused: only the layers change the pixels. Trained for
  // 2,000 steps, however long they take: the fakes have left the plane's edge, and the
  // optimal D*'s ½ contour lies in view (at step 150 it need not).
  await h.playing();
  await h.stepPast(2000);
  await h.until(() => window.ganPlayground.state().metrics_step > 0, null, 'the first metrics');
  await page.getByTestId('play-pause').click();
  assert.equal((await state()).running, false);
  // The frame after the pause, then one that stays.
  let img = await h.pixels();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(300);
    const next = await h.pixels();
    if (next === img) break;
    img = next;
  }
  for (const layer of ['manifold', 'arrows', 'optimal', 'heatmap', 'real', 'fake']) {
    await page.getByTestId(`layer-${layer}`).click();
    const next = await h.pixelsChange(img, '#gan-plane', `the plane after toggling ${layer}`).catch(() => img);
    assert.ok(next !== img, `toggling ${layer} changed nothing`);
    img = next;
  }
  for (const layer of ['heatmap', 'real', 'fake']) await page.getByTestId(`layer-${layer}`).click();
  await h.pixelsChange(img, '#gan-plane', 'the plane with every layer').catch(() => {});
  await h.shot('all-layers.png');
});

e2e('the page explains itself: legends, colour bar, hover text, help, keys', async (h) => {
  const { page, state } = h;
  // Every layer toggle has a swatch and a hover text with what it is.
  for (const layer of ['real', 'fake', 'manifold', 'heatmap', 'arrows', 'optimal']) {
    const label = page.locator(`label:has([data-layer="${layer}"])`);
    assert.ok(await label.locator('.sw').count() === 1, `${layer} has a swatch`);
    assert.ok(((await label.getAttribute('title')) || '').length > 40, `${layer} has hover text`);
  }
  assert.match(await page.locator('label:has([data-layer="optimal"])').getAttribute('title'), /p_data\(x\) \/ \(p_data\(x\) \+ p_g\(x\)\)/);
  // The colour bar: the heatmap's own colours, white at ½, the two tints at the ends.
  assert.ok(await page.getByTestId('colour-bar').isVisible());
  const bar = await page.evaluate(() => {
    const c = document.getElementById('colour-bar');
    const d = c.getContext('2d').getImageData(0, 0, c.width, 1).data;
    const px = (x) => Array.from(d.slice(4 * x, 4 * x + 3));
    return [px(0), px(Math.floor((c.width - 1) / 2)), px(c.width - 1)];
  });
  const css = (v) => getComputedStyle(document.documentElement).getPropertyValue(v);
  const hex = async (v) => { const x = (await page.evaluate(css, v)).trim(); return [1, 3, 5].map((i) => parseInt(x.slice(i, i + 2), 16)); };
  assert.deepEqual(bar[0], await hex('--heat-fake'));
  assert.deepEqual(bar[2], await hex('--heat-real'));
  assert.ok(bar[1].every((c) => c >= 250), `the middle is white: ${bar[1]}`);
  // Hover text on the readout's numbers and on the charts (the charts' once they are
  // drawn from a run's metrics).
  assert.ok(await page.locator('#gan-status b[title]').count() >= 5);
  await h.playing();
  await h.until(() => document.getElementById('chart-divergences').title.length > 0, null, 'the divergence chart\'s hover text');
  assert.match(await page.getByTestId('chart-divergences').getAttribute('title'), /Jensen–Shannon/);
  // A help section a student can open.
  const help = page.getByTestId('help');
  assert.equal(await help.evaluate((d) => d.open), false);
  await help.locator('summary').click();
  assert.match(await help.textContent(), /D\(x\) = σ\(V\(x\)\)/);
  await help.locator('summary').click();
  // Keys: Space plays and pauses, S steps once, R resets (not while typing).
  await h.paused();
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const s0 = (await state()).step;
  await page.keyboard.press('s');
  assert.equal((await state()).step, s0 + 1, 'S takes one step');
  await page.keyboard.press('Space');
  assert.equal((await state()).running, true, 'Space plays');
  await page.keyboard.press('Space');
  assert.equal((await state()).running, false, 'Space pauses');
  await page.keyboard.press('r');
  assert.equal((await state()).step, 0, 'R resets');
  // On a focused control the keys are the control's: Space on Reset resets, and trains
  // nothing; a letter in a menu picks from it.
  await page.getByTestId('step').click();
  await page.getByTestId('reset').focus();
  await page.keyboard.press('Space');
  const r = await state();
  assert.deepEqual([r.step, r.running], [0, false], 'Space on the focused Reset resets, and does not play');
});

e2e('arrow keys on a closed menu step through it and apply once, on Enter (or when the student stops)', async (h) => {
  const { page, state } = h;
  const menu = page.getByTestId('loss-select');
  const first = (await state()).loss;
  await menu.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  const picked = await menu.inputValue();
  assert.notEqual(picked, first, 'the menu moved');
  assert.equal((await state()).loss, first, 'no loss applied at each key');
  await page.keyboard.press('Enter');
  await h.until((l) => window.ganPlayground.state().loss === l, picked, `the loss ${picked}`);
  // Leaving the menu applies the choice too.
  await page.evaluate(() => document.activeElement.blur());
  await menu.focus();
  await page.keyboard.press('ArrowDown');
  const next = await menu.inputValue();
  assert.notEqual(next, picked);
  await page.evaluate(() => document.activeElement.blur());
  await h.until((l) => window.ganPlayground.state().loss === l, next, `the loss ${next}`);
});

e2e('the layout fits 1024×640 to 1920×1080: no sideways scroll, the plane and the charts in view', async (h) => {
  const ids = ['gan-plane', 'chart-losses', 'chart-divergences', 'chart-modes', 'play-pause', 'gan-status', 'mode-live', 'bench-open'];
  for (const [w, ht] of [[1024, 640], [1280, 800], [1920, 1080]]) {
    const box = await h.layoutAt(w, ht, ids);
    assert.ok(box.scroll[0] <= w, `${w}×${ht}: scrolls sideways (${box.scroll[0]})`);
    assert.ok(box.scroll[1] <= ht, `${w}×${ht}: scrolls down (${box.scroll[1]})`);
    for (const [id, [l, t, r, b]] of Object.entries(box.rects)) {
      assert.ok(l >= 0 && t >= 0 && r <= w + 0.5 && b <= ht + 0.5, `${w}×${ht}: ${id} at ${[l, t, r, b].map(Math.round)} is not fully in view`);
    }
    const plane = box.rects['gan-plane'];
    assert.ok(plane[2] - plane[0] >= 0.55 * ht, `${w}×${ht}: the plane is ${Math.round(plane[2] - plane[0])} px`);
  }
});
