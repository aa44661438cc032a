// The lessons: each opens its set-up from the panel and reports what the run shows.
import assert from 'node:assert/strict';
import { e2e, LONG } from './fixture.mjs';

e2e('lessons: the panel lists every lesson; each opens its set-up from the panel and reports its observation', { timeout: 900_000 }, async (h, t) => {
  const { page, state } = h;
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
      await page.getByTestId(`lesson-${l.id}`).click();
      await h.until((id) => { const s = window.ganPlayground && window.ganPlayground.state(); return s && s.lesson && s.lesson.id === id && s.fps > 0; }, l.id,
        `the lesson ${l.id} to open`);
      const s = await state();
      // The set-up: every setting the lesson names is the session's.
      const hs = Object.fromEntries(new URLSearchParams(s.hash));
      for (const [k, v] of new URLSearchParams(l.setup)) {
        if (k === 'mode') { assert.equal(s.mode, v, l.id); continue; }
        if (k === 'game') { assert.equal(s.mode, v, l.id); continue; }
        if (k === 'cmp') { assert.equal(s.compare, v === '1', l.id); continue; }
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
      seen.push(`${l.id}: ${o.holds ? '✓' : '·'} ${o.text.slice(0, 70)}`);
      if (l.id === 'wgan-clip') assert.ok(await page.getByTestId('lesson-hist').isVisible(), 'the weights histogram');
      if (l.id === 'xy') assert.ok(o.holds, `the xy claim shows at once: ${o.text}`);
      await h.paused();
    });
  }
  t.diagnostic(seen.join('\n'));
  await h.shot('lesson.png');
});
