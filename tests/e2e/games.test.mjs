// The other games: the xy game, a BiGAN and a CycleGAN.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('the other games: the xy game, a BiGAN and a CycleGAN open from the menu and from a link, train and draw', async (h, t) => {
  const { page, state } = h;
  // The xy game from the menu, paced at 30 steps/s: both copies move as the theory says.
  await page.getByTestId('mode-select').selectOption('xy');
  await h.until(() => window.ganPlayground.state().mode === 'xy', null, 'the xy game');
  assert.match(await h.hash(), /game=xy&.*rate=30/);
  const p0 = await h.pixels();
  const t0 = Date.now();
  await page.getByTestId('play-pause').click();
  // 40 steps, however long they take; the pace is a ceiling (never ahead of 30 a second
  // since Play), which a slow machine cannot break.
  await h.stepPast(39);
  let s = await state();
  const elapsed = (Date.now() - t0) / 1000;
  assert.ok(s.running && s.step >= 40 && s.step <= 30 * elapsed + 1, `30 steps per second: step ${s.step} after ${elapsed.toFixed(2)} s`);
  t.diagnostic(`the xy game: step ${s.step} after ${elapsed.toFixed(2)} s (paced at 30/s)`);
  assert.ok(s.r_sim > 1.2 && Math.abs(s.growth - s.growth_theory) < 1e-9, `simultaneous: r ${s.r_sim}, growth ${s.growth} vs ${s.growth_theory}`);
  assert.ok(s.invariant_drift < 1e-9, `alternating: drift ${s.invariant_drift}`);
  await h.pixelsChange(p0, '#gan-plane', 'the trajectories').catch(() => {});
  assert.ok((await h.pixels()) !== p0, 'the trajectories are drawn');
  await page.getByTestId('play-pause').click();
  // Only what is the xy game's own: its model in a line, no loss or optimiser menu (it
  // takes plain gradient steps), only the arrows' layer, its measures in the readout.
  assert.match(await page.getByTestId('model-about').textContent(), /V\(x, y\) = x·y/);
  for (const id of ['loss-select', 'optimizer', 'gp-lambda', 'layer-heatmap', 'layer-optimal']) {
    assert.equal(await page.getByTestId(id).isVisible(), false, `${id} is not the xy game's`);
  }
  for (const id of ['k-steps', 'lr-d', 'lr-g', 'layer-arrows']) assert.ok(await page.getByTestId(id).isVisible(), `${id} shows`);
  await h.until(() => /distance from the equilibrium/.test(document.getElementById('gan-status').textContent), null, 'the xy game\'s measures in the readout');
  assert.doesNotMatch(await page.getByTestId('status').textContent(), /JS|GFLOP/);
  // Its axes: the players named under the plane, and round ticks along its edges
  // (grey text in the bottom rows of the plane, which the GAN's plane leaves white).
  assert.match(await page.getByTestId('plane-axes').textContent(), /x, the minimizing player.*y, the maximizing player/);
  const greyRows = () => page.evaluate(() => {
    const c = document.getElementById('gan-plane');
    const d = c.getContext('2d').getImageData(0, c.height - 14, c.width, 14).data;
    let grey = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 160 && Math.abs(d[i] - d[i + 2]) < 12 && Math.abs(d[i] - d[i + 1]) < 12) grey++;
    return grey;
  });
  assert.ok(await greyRows() > 40, 'tick values along the bottom edge');
  // A BiGAN from a link: the data plane and the latent plane, titled.
  await page.goto('about:blank');
  await page.goto(h.url + '#game=bigan&dataset=ring8');
  await h.until(() => window.ganPlayground && window.ganPlayground.state().mode === 'bigan', null, 'the BiGAN');
  assert.equal(await page.getByTestId('bigan-dataset').inputValue(), 'ring8');
  assert.ok(await page.getByTestId('plane-b').isVisible(), 'the latent plane');
  assert.equal(await page.getByTestId('plane-axes').isVisible(), false, "the BiGAN's axes are the data's: no caption");
  assert.match(await page.getByTestId('tag-a').textContent(), /G\(E\(x\)\)/);
  assert.match(await page.getByTestId('tag-b').textContent(), /latent/);
  await page.getByTestId('play-pause').click();
  await h.until(() => window.ganPlayground.state().recon_x !== null && window.ganPlayground.state().step > 50, null,
    async () => `the BiGAN's reconstruction after 50 steps: ${JSON.stringify(await state())}`);
  s = await state();
  assert.ok(s.recon_x > 0 && s.recon_z > 0 && s.w1 > 0, JSON.stringify(s));
  await page.getByTestId('play-pause').click();
  // A CycleGAN: λ applies live, keeping the step; a bad λ is refused.
  await page.getByTestId('mode-select').selectOption('cyclegan');
  await h.until(() => window.ganPlayground.state().mode === 'cyclegan', null, 'the CycleGAN');
  await page.getByTestId('play-pause').click();
  await h.stepPast(0);
  const before = await state();
  await h.setValue('cycle-lambda', '0');
  const after = await state();
  assert.equal(after.lambda, 0);
  assert.ok(after.step >= before.step, 'λ applies live');
  assert.match(await page.evaluate(() => location.hash), /lambda=0/);
  await h.setValue('cycle-lambda', '-1');
  await h.expectMessage(/lambda: -1 is outside/);
  await h.until(() => window.ganPlayground.state().cycle_x !== null, null, 'the CycleGAN\'s cycle error');
  await h.shot('cyclegan.png');
  await page.getByTestId('play-pause').click();
});
