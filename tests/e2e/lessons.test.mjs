// The lessons: each opens its set-up from the panel and reports what the run shows.
import assert from 'node:assert/strict';
import { e2e, LONG } from './fixture.mjs';

/// The session a lesson's set-up opens (its link's `mode=` or `game=`, else the 2D GAN).
const gameOf = (l) => l.setup.match(/(?:^|&)(?:mode|game)=([^&]+)/)?.[1] ?? '2d';

e2e('lessons: the panel lists every lesson; each opens its set-up from the panel and reports its observation', { timeout: 900_000 }, async (h, t) => {
  const { page, state } = h;
  // A lesson of a game that has trained asks before it drops that run: yes, here. The
  // step each game was left at says whether its next lesson must ask.
  const asked = [];
  page.on('dialog', (d) => { asked.push(d.message()); void d.accept(); });
  const leftAt = { [(await state()).mode]: (await state()).step };
  let expected = 0;
  await page.getByTestId('lessons-open').click();
  const lessons = await page.evaluate(() => JSON.parse(window.wasmBindings.lessons()));
  assert.ok(lessons.length >= 11);
  assert.equal(await page.locator('#lessons-list li').count(), lessons.length);
  const same = (a, b) => a === b || (a !== undefined && a.split(',').map(Number).join() === b.split(',').map(Number).join());
  const seen = [];
  // One subtest per lesson, one after another on this page (each sets its own run up).
  for (const l of lessons) {
    await t.test(`lessons: ${l.id}`, async () => {
      if (!(await page.getByTestId('lessons-card').isVisible())) await page.getByTestId('lessons-open').click();
      if ((leftAt[gameOf(l)] ?? 0) > 0) expected++;
      await page.getByTestId(`lesson-${l.id}`).click();
      await h.until((id) => { const s = window.ganPlayground && window.ganPlayground.state(); return s && s.lesson && s.lesson.id === id && s.painted > 0; }, l.id,
        `the lesson ${l.id} to open`);
      const s = await state();
      // The set-up: every setting the lesson names is the session's.
      const hs = Object.fromEntries(new URLSearchParams(s.hash));
      for (const [k, v] of new URLSearchParams(l.setup)) {
        if (k === 'mode') { assert.equal(s.mode, v, l.id); continue; }
        if (k === 'game') { assert.equal(s.mode, v, l.id); continue; }
        if (k === 'cmp') { assert.equal(s.compare, v !== '0', l.id); assert.equal(s.b?.mode, v === 'vae' ? 'vae' : '2d', l.id); continue; }
        assert.ok(same(hs[k], v), `${l.id}: ${k} is ${hs[k]}, the lesson sets ${v}`);
      }
      assert.match(s.hash, new RegExp(`lesson=${l.id}`));
      // Its observation, once the run has been measured (however long that takes).
      if (!s.running) await page.getByTestId('play-pause').click();
      await h.until(() => { const o = window.ganPlayground.state().lesson; return o.text && !/^(measuring|press Play|waiting)/.test(o.text); }, null,
        async () => `${l.id}'s observation: ${JSON.stringify((await state()).lesson)}`);
      // The panel shows the state's text once it is repainted; while the run goes on both
      // move, so the two are taken at one moment in the page, when they agree.
      const [shown, o] = await page.waitForFunction(() => {
        const shown = document.querySelector('[data-testid=lesson-text]').textContent;
        const o = window.ganPlayground.state().lesson;
        return shown === o.text && [shown, o];
      }, null, { timeout: LONG }).then((j) => j.jsonValue()).catch(async () => {
        const o = (await state()).lesson;
        return [await page.getByTestId('lesson-text').textContent(), o];
      });
      assert.ok(await page.getByTestId('lesson-obs').isVisible());
      assert.equal(shown, o.text);
      assert.equal(await page.getByTestId('lesson-watch').textContent(), `Watch: ${l.watch}`);
      seen.push(`${l.id}: ${o.holds ? '✓' : '·'} ${o.text.slice(0, 70)}`);
      if (l.id === 'wgan-clip') assert.ok(await page.getByTestId('lesson-hist').isVisible(), 'the weights histogram');
      if (l.id === 'xy') assert.ok(o.holds, `the xy claim shows at once: ${o.text}`);
      const left = await h.paused();
      leftAt[left.mode] = left.step;
    });
  }
  t.diagnostic(seen.join('\n'));
  // Each lesson whose game had trained asked first, and no other.
  assert.equal(asked.length, expected, asked.join('\n'));
  assert.ok(asked.every((m) => /at step [1-9][\d,]* is dropped/.test(m)), asked.join('\n'));
  await h.shot('lesson.png');
});

e2e('lessons: opening one keeps a trained run unless the student agrees, keeps the page, and Escape closes the panel', async (h) => {
  const { page, state } = h;
  await h.playing();
  await h.stepPast(5);
  const before = await h.paused();
  // The page is not reloaded: a mark left on it survives opening a lesson.
  await page.evaluate(() => { window.__kept = true; });
  await page.getByTestId('lessons-open').click();
  const lessons = await page.evaluate(() => JSON.parse(window.wasmBindings.lessons()));
  const twoD = lessons.find((l) => !/(?:^|&)(?:mode|game)=/.test(l.setup));
  // No: nothing changes.
  page.once('dialog', (d) => { assert.match(d.message(), new RegExp(`step ${before.step.toLocaleString('en')} is dropped`)); void d.dismiss(); });
  await page.getByTestId(`lesson-${twoD.id}`).click();
  const kept = await state();
  assert.equal(kept.step, before.step);
  assert.ok(!kept.lesson, 'no lesson opened');
  assert.ok(await page.getByTestId('lessons-card').isVisible());
  // Escape closes the panel, and the focus returns to its button.
  await page.getByTestId(`lesson-${twoD.id}`).focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('lessons-card').isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'lessons-open');
  // Yes: the lesson's set-up from step 0, on the same page, its watch text in view.
  await page.getByTestId('lessons-open').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId(`lesson-${twoD.id}`).click();
  await h.until((id) => window.ganPlayground.state().lesson?.id === id, twoD.id, `the lesson ${twoD.id} to open`);
  const s = await state();
  assert.equal(s.step, 0);
  assert.equal(await page.evaluate(() => window.__kept), true);
  assert.ok(await page.getByTestId('lesson-watch').isVisible());
  assert.equal(await page.getByTestId('lessons-card').isVisible(), false);
});
