// MNIST's other models: the conditional GAN (trained here and pretrained), the DCGAN that
// trains beside a page that keeps painting, and a Play clicked before the session opened.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

const mnist = (h) => h.until(() => window.ganPlayground.state().mode === 'mnist', null, 'the MNIST session');

e2e('a conditional GAN draws the digit picked', { hash: '#mode=mnist' }, async (h) => {
  const { page, state } = h;
  await mnist(h);
  await page.getByTestId('mnist-cond').selectOption('1');
  let s = await state();
  assert.equal(s.conditional, true);
  await h.expectMessage(/restarted/);
  assert.ok(!(await page.getByTestId('digit-pick').isDisabled()));
  await page.getByTestId('digit-pick').selectOption('3');
  s = await state();
  assert.equal(s.digit, 3);
  assert.match(await h.hash(), /cond=1/);
  await page.reload();
  await h.ready();
  s = await state();
  assert.deepEqual([s.mode, s.conditional], ['mnist', true], 'a reload reopens the MNIST session');
});

e2e('the pretrained conditional MNIST model draws the digit asked for', { hash: '#mode=mnist&model=mlp-small&cond=1' }, async (h) => {
  const { page, state } = h;
  // A conditional mlp-small session, paused.
  await h.until(() => window.ganPlayground.state().mode === 'mnist' && !document.getElementById('load-pretrained').disabled, null, 'the pretrained button');
  assert.equal((await state()).conditional, true);
  await h.paused();
  await page.getByTestId('load-pretrained').click();
  await h.expectMessage(/pretrained mnist-mlp-small-cond\.safetensors, trained by gan-playground train --dataset mnist --model mlp-small --conditional/);
  // A load forgets the run's metrics: the next ones are the loaded model's.
  await h.until(() => window.ganPlayground.state().metrics_step !== null && window.ganPlayground.state().frechet !== null, null,
    async () => `metrics after the load: ${JSON.stringify(await state())}`);
  const s = await state();
  assert.equal(s.metrics_step, 0);
  assert.ok(s.classes_covered >= 9 && s.condition_accuracy >= 0.8, `a trained start: ${s.classes_covered} classes, asked-for ${s.condition_accuracy}, Fréchet ${s.frechet}`);
  await page.getByTestId('digit-pick').selectOption('7');
  assert.equal((await state()).digit, 7);
  await page.waitForTimeout(400);
  await h.shot('pretrained-mnist-7.png');
});

e2e('with the DCGAN preset training, the page keeps painting and pause answers at once', { hash: '#mode=mnist&model=dcgan' }, async (h, t) => {
  const { page, state } = h;
  await h.until(() => window.ganPlayground.state().model === 'dcgan', null, 'the DCGAN session');
  await page.getByTestId('play-pause').click();
  // A few steps, and the readouts' 3 s window filled while training.
  await h.stepPast(3);
  await page.waitForTimeout(3000);
  const s = await state();
  assert.ok(s.running && s.step > 3, `step ${s.step}`);
  // The page keeps painting while the DCGAN trains: its animation frames run, and the
  // digit grid is repainted with the model's new digits, twice over (however fast: how
  // many frames a second a busy machine paints is printed, not judged).
  assert.ok(s.fps > 0, `frames/s ${s.fps}`);
  for (let i = 0; i < 2; i++) {
    const g = await page.evaluate(() => document.querySelector('#digit-grid').toDataURL());
    await h.until((g) => document.querySelector('#digit-grid').toDataURL() !== g, g, 'the digit grid to be repainted while training');
  }
  assert.equal((await state()).running, true);
  // Pause: once the worker has answered it, the step counter (as the page shows it)
  // never moves again; how long the answer took is printed.
  const latency = await page.evaluate(async () => {
    const t0 = performance.now();
    const first = window.ganPlayground.state().step;
    let last = first, moved = 0;
    document.getElementById('play-pause').click();
    await window.ganPlayground.settled();
    const answered = performance.now() - t0;
    const atAnswer = window.ganPlayground.state().step;
    let after = 0;
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      await new Promise((r) => setTimeout(r, 2));
      const step = window.ganPlayground.state().step;
      if (step !== last) { last = step; moved = performance.now() - t0; }
      if (step !== atAnswer) after++;
    }
    return { moved, answered, steps: last - first, after, running: window.ganPlayground.state().running };
  });
  assert.equal(latency.running, false);
  t.diagnostic(`DCGAN: ${s.steps_per_s.toFixed(1)} steps/s while the page painted ${s.fps.toFixed(0)} frames/s; Pause answered in ${latency.answered.toFixed(0)} ms; the step counter moved ${latency.steps} more (the worker's last states), last at ${latency.moved.toFixed(0)} ms`);
  assert.equal(latency.after, 0, 'the counter moved after the worker answered Pause');
  await h.shot('mnist-dcgan.png');
});

e2e('Play clicked while the session is still opening starts training once it has', { open: false }, async (h, t) => {
  const { page, state } = h;
  await page.goto(h.url + '#mode=mnist&model=mlp-small&seed=3');
  // Click as soon as the page's controls answer, before the worker's first state (the
  // module's start and the digits take a moment): the worker runs commands in order.
  const early = await page.evaluate(() => new Promise((resolve) => {
    const t = setInterval(() => {
      if (!window.ganPlayground) return;
      clearInterval(t);
      const before = window.ganPlayground.state().step === undefined;
      document.getElementById('play-pause').click();
      resolve(before);
    }, 1);
  }));
  await h.stepPast(0);
  const s = await state();
  assert.ok(s.running, 'training runs');
  t.diagnostic(`clicked ${early ? 'before' : 'after'} the first state; step ${s.step}`);
  await page.getByTestId('play-pause').click();
});
