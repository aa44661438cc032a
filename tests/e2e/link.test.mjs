// The link (the URL's hash) holds the configuration: a reload restores it, a hostile one
// is clamped or refused, and it carries the view (layers, speed, slow motion).
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

e2e('reloading the URL restores the configuration', async (h) => {
  const { page, state } = h;
  // Set in the controls, while training: the link follows.
  await page.getByTestId('loss-select').selectOption('hinge');
  await h.setValue('k-steps', '3');
  await h.playing();
  assert.match(await h.hash(), /loss=hinge.*k=3|k=3.*loss=hinge/);
  await page.reload();
  await h.ready();
  const s = await state();
  assert.equal(s.loss, 'hinge');
  assert.equal(s.k, 3);
  assert.equal(s.running, false, 'a loaded link opens paused');
});

e2e('a link entered over the page opens it, as a new page would', async (h) => {
  const { page, state } = h;
  await h.playing();
  await h.stepPast(3);
  // As a person types a new link in the address bar over this one: the hash changes.
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => { location.hash = 'game=xy&k=2'; })]);
  await h.ready();
  const s = await state();
  assert.equal(s.mode, 'xy');
  assert.equal(s.k, 2);
  assert.equal(await page.getByTestId('mode-select').inputValue(), 'xy');
});

e2e('a hostile hash is clamped or rejected with a visible message',
  { hash: '#loss=%3Cscript%3Ealert(1)%3C/script%3E&k=999999&lrd=NaN&dataset=nowhere' }, async (h) => {
    const { page, state } = h;
    const s = await state();
    assert.equal(s.loss, 'non-saturating');
    assert.equal(s.dataset, 'ring8');
    assert.ok(s.k >= 1 && s.k <= 100);
    const msg = (await state(), await page.getByTestId('message').textContent());
    assert.match(msg, /loss/);
    assert.match(msg, /k: 999999/);
    assert.ok(!(await page.content()).includes('<script>alert'), 'the hash value was not injected as HTML');
  });

e2e('the link carries the layers, speed and slow motion; copy link; projector mode', async (h) => {
  const { page } = h;
  await page.getByTestId('layer-optimal').check();
  await page.getByTestId('layer-heatmap').uncheck();
  await page.getByTestId('speed').selectOption('third');
  assert.match(await h.hash(), /&show=real\.fake\.optimal&speed=third&slowmo=0$/);
  await page.reload();
  await h.ready();
  await h.state();
  assert.ok(await page.getByTestId('layer-optimal').isChecked(), 'the layers come back from the link');
  assert.ok(!(await page.getByTestId('layer-heatmap').isChecked()));
  assert.equal(await page.getByTestId('speed').inputValue(), 'third');
  await page.getByTestId('slow-motion').check();
  assert.match(await h.hash(), /slowmo=1$/);
  await page.getByTestId('slow-motion').uncheck();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  const said = await page.getByTestId('message').textContent();
  await page.getByTestId('copy-link').click();
  const href = await page.evaluate(() => location.href);
  // The copy (or the note that shows the link) comes once the clipboard answers.
  await h.until((said) => document.getElementById('gan-message').textContent !== said, said, 'the copy link\'s note').catch(() => {});
  const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
  const note = await page.getByTestId('message').textContent();
  assert.ok(copied === href || note.includes(href), `copied '${copied}', said '${note}'`);
  // Projector: larger type, the plane and charts still in view.
  await page.getByTestId('projector').click();
  assert.equal(await page.getByTestId('projector').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontSize), '17px');
  await page.getByTestId('play-pause').click();
  // Some training to show in the screenshot.
  await h.until(() => window.ganPlayground.state().metrics_step > 0, null, 'a metric');
  await page.waitForTimeout(1000);
  await h.shot('projector.png');
  await page.getByTestId('play-pause').click();
  await page.getByTestId('projector').click();
  assert.equal(await page.getByTestId('projector').getAttribute('aria-pressed'), 'false');
});
