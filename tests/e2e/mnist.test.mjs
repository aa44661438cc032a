// MNIST: the same live controls on digits, the sample grid, and weights that travel
// (natively trained ones included: GAN_NATIVE_MNIST).
import assert from 'node:assert/strict';
import { e2e, nativeMnist, nativeMnistWeights, artifacts } from './fixture.mjs';
import { loadAndCompare } from './weights.mjs';

const grid = (page) => page.evaluate(() => document.querySelector('#digit-grid').toDataURL());
const mnist = (h) => h.until(() => window.ganPlayground.state().mode === 'mnist', null, 'the MNIST session');
/// An MNIST session that has trained a little, then paused.
const trained = async (h, steps = 20) => {
  await mnist(h);
  await h.playing();
  await h.stepPast(steps);
  await h.page.getByTestId('play-pause').click();
  const s = await h.state();
  assert.equal(s.running, false);
  return s;
};

e2e('MNIST mode trains digits live and the grid changes', async (h, t) => {
  const { page, state } = h;
  await page.getByTestId('mode-select').selectOption('mnist');
  await mnist(h);
  assert.match(await h.hash(), /mode=mnist&model=mlp-small/);
  assert.ok(await page.getByTestId('digit-grid').isVisible());
  assert.ok(!(await page.getByTestId('plane').isVisible()), 'the 2D plane is hidden');
  assert.ok(!(await page.getByTestId('mode-panel').isVisible()), 'and its mode panel');
  // The first grid, once painted and steady.
  let g0 = await grid(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(300);
    const g = await grid(page);
    if (g === g0) break;
    g0 = g;
  }
  await page.getByTestId('play-pause').click();
  // A hundred steps and the metrics of a trained moment, however long they take.
  await h.until(() => { const s = window.ganPlayground.state(); return s.step > 100 && s.metrics_step > 0 && s.frechet !== null; }, null,
    async () => `100 steps and a metric: ${JSON.stringify(await state())}`);
  const s = await state();
  assert.ok(s.running && s.step > 100, `step ${s.step}`);
  await h.until((g0) => document.querySelector('#digit-grid').toDataURL() !== g0, g0, 'the digit grid to change').catch(() => {});
  assert.ok((await grid(page)) !== g0, 'the digit grid changed');
  assert.ok(s.frechet > 0 && s.classes_covered !== null, JSON.stringify(s));
  // Legible digits of some class, once G draws them (an untrained G's blurs cover none).
  await h.until(() => window.ganPlayground.state().classes_covered >= 1, null,
    async () => `a class drawn legibly: ${JSON.stringify(await state())}`);
  // Loss and k switch live here too, keeping the step.
  await page.getByTestId('loss-select').selectOption('lsgan');
  await h.setValue('k-steps', '2');
  const tt = await state();
  assert.deepEqual([tt.loss, tt.k], ['lsgan', 2]);
  assert.ok(tt.step >= s.step);
  await h.stepPast(tt.step);
  assert.ok((await state()).step > tt.step, 'still training');
  t.diagnostic(`MNIST mlp-small: ${tt.steps_per_s.toFixed(0)} steps/s, ${tt.fps.toFixed(0)} frames/s; Fréchet ${s.frechet.toFixed(1)}, classes ${s.classes_covered}/10 at step ${s.metrics_step}`);
  await h.shot('mnist.png');
});

e2e('natively trained weights load and draw the same digits', { hash: '#mode=mnist' }, async (h) => {
  const { page } = h;
  assert.ok(nativeMnist, 'GAN_NATIVE_MNIST is not set: run through scripts/test.sh (or tests/e2e/run.sh)');
  await trained(h);
  const g0 = await grid(page);
  await loadAndCompare(page, nativeMnistWeights, nativeMnist);
  // The digits redraw at most 5 times a second.
  await h.until((g0) => document.querySelector('#digit-grid').toDataURL() !== g0, g0, 'the grid to show the loaded model').catch(() => {});
  assert.ok((await grid(page)) !== g0, 'the grid shows the loaded model');
  await h.expectMessage(/loaded weights.safetensors: mlp-small/);
  await h.shot('mnist-native-weights.png');
});

e2e('a wrong file is refused with a message, and nothing changes', { hash: '#mode=mnist' }, async (h) => {
  const { page, state } = h;
  await trained(h);
  const before = (await state()).grid_digest;
  await page.getByTestId('load-weights').setInputFiles({ name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a tensor file at all') });
  await h.until(() => /not a readable safetensors file/.test(document.getElementById('gan-message').textContent), null,
    async () => `the refusal: the message says "${await page.getByTestId('message').textContent()}"`);
  assert.deepEqual((await state()).grid_digest, before);
});

e2e('saving downloads the weights, and loading them back gives the same digits', { hash: '#mode=mnist' }, async (h) => {
  const { page, state } = h;
  // A model trained away from its start, so that Reset changes it.
  await trained(h);
  const before = (await state()).grid_digest;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-weights').click()]);
  assert.match(download.suggestedFilename(), /\.safetensors$/);
  const path = `${artifacts}/mnist-${download.suggestedFilename()}`;
  await download.saveAs(path);
  await page.getByTestId('reset').click();
  assert.notDeepEqual((await state()).grid_digest, before, 'reset changed the model');
  await page.getByTestId('load-weights').setInputFiles(path);
  await h.until((b) => JSON.stringify(window.ganPlayground.state().grid_digest) === b, JSON.stringify(before),
    async () => `the saved digits back: ${JSON.stringify((await state()).grid_digest)} against ${JSON.stringify(before)}`);
});
