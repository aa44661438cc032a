// Your own data and weights: points drawn on the plane or read from a CSV, weights saved
// and loaded, and the pretrained starting points.
import assert from 'node:assert/strict';
import { e2e, artifacts } from './fixture.mjs';

e2e('draw your own: clicks place data points, kept in the link', async (h) => {
  const { page, state } = h;
  await h.playing();
  await page.getByTestId('dataset-select').selectOption('custom');
  await h.expectMessage(/click or drag on the plane/);
  const plane = page.getByTestId('plane');
  const box = await plane.boundingBox();
  for (const [fx, fy] of [[0.3, 0.3], [0.7, 0.3], [0.5, 0.75]]) {
    await plane.click({ position: { x: fx * box.width, y: fy * box.height } });
  }
  const s = await state();
  assert.equal(s.dataset, 'custom');
  const hash = await h.hash();
  const pts = decodeURIComponent(hash.match(/points=([^&]*)/)[1]).split(',').map(Number);
  assert.equal(pts.length, 6);
  // (0.3, 0.3) of the ±1.5 view is (−0.6, 0.6).
  assert.ok(Math.abs(pts[0] + 0.6) < 0.02 && Math.abs(pts[1] - 0.6) < 0.02, `first point ${pts.slice(0, 2)}`);
  // A drag from (0.2, 0.8) to (0.8, 0.8) places a row of points along its path.
  await page.mouse.move(box.x + 0.2 * box.width, box.y + 0.8 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.8 * box.width, box.y + 0.8 * box.height, { steps: 30 });
  await page.mouse.up();
  const h2 = await h.hash();
  const pts2 = decodeURIComponent(h2.match(/points=([^&]*)/)[1]).split(',').map(Number);
  const dragged = pts2.slice(6).filter((v, i) => i % 2 === 1);
  assert.ok(dragged.length >= 10, `a drag placed ${dragged.length} points`);
  assert.ok(dragged.every(y => Math.abs(y + 0.9) < 0.03), `dragged points lie on y = −0.9: ${dragged}`);
  // By keyboard: the plane takes the focus, the arrows move its cursor from the centre
  // (2% of the plane a press), and Enter places a point there: (0.6, 0.5) is (0.3, 0).
  await page.getByTestId('plane').focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.ok(await page.locator('#plane-cursor').isVisible(), 'the keyboard\'s cursor shows');
  await page.keyboard.press('Enter');
  await h.until((n) => decodeURIComponent(location.hash.match(/points=([^&]*)/)[1]).split(',').length > n, pts2.length, 'the point placed by keyboard');
  const pts3 = decodeURIComponent((await h.hash()).match(/points=([^&]*)/)[1]).split(',').map(Number);
  const [kx, ky] = pts3.slice(-2);
  assert.ok(Math.abs(kx - 0.3) < 0.02 && Math.abs(ky) < 0.02, `the keyboard placed (${kx}, ${ky})`);
  await h.stepPast(0);
  assert.ok((await state()).step > 0);
});

e2e('your own data: a CSV trains, a hostile file is refused, points survive a switch, clear starts anew', async (h) => {
  const { page, state } = h;
  // A file of 3 clusters, as a user would export from a spreadsheet.
  const rows = ['x,y'];
  for (let i = 0; i < 30; i++) rows.push(`${[-0.8, 0, 0.8][i % 3] + 0.01 * (i % 5)},${[0.5, -0.5, 0.5][i % 3]}`);
  await page.getByTestId('load-points').setInputFiles({ name: 'clusters.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await h.expectMessage(/30 points from clusters\.csv are the data now/);
  let s = await state();
  assert.deepEqual([s.dataset, s.points, s.step, s.has_modes], ['custom', 30, 0, true]);
  await page.getByTestId('play-pause').click();
  await h.stepPast(100);
  s = await state();
  assert.ok(s.step > 100, `the uploaded data trains: ${s.step}`);
  // A hostile file: refused in one line, nothing lost.
  await page.getByTestId('load-points').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n3,NaN\n') });
  await h.expectMessage(/bad\.csv: line 3: NaN is not a finite number/);
  assert.equal(await page.getByTestId('message').getAttribute('class'), 'error');
  const after = await state();
  assert.equal(after.points, 30, 'the data is unchanged');
  assert.ok(after.step >= s.step, 'training was not restarted');
  // Away to a preset without modes (the modes chart gives way to a note) and back.
  await page.getByTestId('dataset-select').selectOption('spiral');
  await state();
  assert.ok(await page.getByTestId('no-modes').isVisible(), 'the spiral says it has no modes');
  assert.ok(!(await page.getByTestId('chart-modes').isVisible()));
  await page.getByTestId('dataset-select').selectOption('custom');
  s = await state();
  assert.deepEqual([s.dataset, s.points], ['custom', 30], 'your points came back');
  // Clear, then one click: a new set of one point, without a restart.
  const before = (await state()).step;
  await page.getByTestId('clear-points').click();
  const box = await page.getByTestId('plane').boundingBox();
  await page.getByTestId('plane').click({ position: { x: 0.5 * box.width, y: 0.5 * box.height } });
  s = await state();
  assert.equal(s.points, 1);
  assert.ok(s.step >= before, `a point joins live: ${before} -> ${s.step}`);
  await page.getByTestId('play-pause').click();
});

e2e('2D weights: Save downloads G and D, Load brings them back with their shape', { hash: '#hidden=24&layers=3' }, async (h) => {
  const { page } = h;
  await page.getByTestId('step').click();
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-weights').click()]);
  assert.match(d.suggestedFilename(), /^gan-playground-ring8-step1\.safetensors$/);
  const path = `${artifacts}/${d.suggestedFilename()}`;
  await d.saveAs(path);
  // A new page on the link (a link entered over the open one reloads it too).
  await page.goto('about:blank');
  await page.goto(h.url + '#hidden=8');
  await h.ready();
  await page.getByTestId('load-weights').setInputFiles(path);
  await h.expectMessage(/loaded gan-playground-ring8-step1\.safetensors: G 2-24×3-2/);
  assert.match(await page.evaluate(() => location.hash), /hidden=24&layers=3/);
  await page.getByTestId('load-weights').setInputFiles({ name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('junk') });
  await h.expectMessage(/not a readable safetensors file/);
  assert.match(await page.evaluate(() => location.hash), /hidden=24/, 'nothing changed');
});

e2e('pretrained starting points: each 2D preset starts from weights the CLI trained', async (h) => {
  const { page, state } = h;
  await h.until(() => !document.getElementById('load-pretrained').disabled, null, 'the pretrained button');
  const fresh = await state();
  assert.match(await page.getByTestId('load-pretrained').getAttribute('title'), /gan-playground train --dataset ring8/);
  await page.getByTestId('load-pretrained').click();
  await h.expectMessage(/pretrained ring8\.safetensors, trained by gan-playground train --dataset ring8/);
  await h.until(() => window.ganPlayground.state().metrics_step === 0 && window.ganPlayground.state().w1 !== null, null,
    'the loaded model\'s metrics').catch(() => {});
  const s = await state();
  assert.equal(s.step, 0);
  assert.ok(s.w1 < 0.3 && s.js < 0.05 && s.modes_covered >= 7, `a trained start: W1 ${s.w1}, JS ${s.js}, modes ${s.modes_covered}`);
  assert.ok(fresh.w1 === null || fresh.w1 > 2 * s.w1, `better than the untrained start (${fresh.w1})`);
  await h.shot('pretrained-ring8.png');
  // Your own points have none: the button says so.
  await page.getByTestId('load-points').setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from('0,0\n1,1\n') });
  // The file is read before it is sent: wait for the session to have it.
  await h.until(() => window.ganPlayground.state().dataset === 'custom', null, 'the points to be the data');
  await h.until(() => document.getElementById('load-pretrained').disabled, null, 'the pretrained button to be disabled')
    .catch(() => { throw new Error('pretrained is still offered for your own points'); });
  assert.match(await page.getByTestId('load-pretrained').getAttribute('title'), /no pretrained weights/);
});
