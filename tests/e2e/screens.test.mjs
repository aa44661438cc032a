// Phones and tablets held upright, with touch: one column, the plane first and nearly as
// wide as the screen, Play and the whole plane on the first screen, nothing wider than the
// screen, controls a finger can hit, and a tap places a point.
import assert from 'node:assert/strict';
import { e2e } from './fixture.mjs';

/// The layout as the page has it: the window, the document's width, the plane's and Play's
/// boxes, the elements that reach past the screen's sides (outside any box that scrolls or
/// clips its content), and the visible controls under 24 px high.
const measure = () => {
  const box = (sel) => { const b = document.querySelector(sel).getBoundingClientRect(); return { left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width }; };
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (e) => e.id || e.dataset.testid || `${e.tagName.toLowerCase()}.${e.className}`;
  const shown = [...document.querySelectorAll('body *')].filter((e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
  return {
    w: innerWidth, h: innerHeight, scrollWidth: document.documentElement.scrollWidth,
    plane: box('#gan-plane'), play: box('#play-pause'),
    outside: shown.filter((e) => { const b = e.getBoundingClientRect(); return (b.right > innerWidth + 0.5 || b.left < -0.5) && !clipped(e); }).map(name),
    small: shown.filter((e) => e.matches('button, select, input[type=number], summary') && e.getBoundingClientRect().height < 24)
      .map((e) => `${name(e)} (${e.getBoundingClientRect().height.toFixed(0)} px)`),
  };
};

for (const [w, ht, kind] of [[390, 844, 'phone'], [768, 1024, 'tablet']]) {
  e2e(`${kind} (${w}×${ht}, touch): the plane first and ${w < 500 ? 'as wide as the screen' : 'wide'}, Play on the first screen, no sideways scroll, a tap places a point`,
    { device: { viewport: { width: w, height: ht }, hasTouch: true, isMobile: true } }, async (h) => {
      const { page, state } = h;
      const m = await page.evaluate(measure);
      assert.equal(m.w, w);
      assert.ok(m.plane.width >= 0.9 * w, `the plane is ${m.plane.width.toFixed(0)} px of ${w}`);
      assert.ok(m.plane.top >= 0 && m.plane.bottom <= ht, `the plane is on the first screen: ${JSON.stringify(m.plane)}`);
      assert.ok(m.play.top >= 0 && m.play.bottom <= ht && m.play.right <= w, `Play is on the first screen: ${JSON.stringify(m.play)}`);
      assert.ok(m.scrollWidth <= w, `the page is ${m.scrollWidth} px wide on a ${w} px screen`);
      assert.deepEqual(m.outside, [], 'elements past the screen\'s sides');
      assert.deepEqual(m.small, [], 'controls under 24 px');
      await h.shot(`screen-${kind}.png`);
      // A tap on the plane, once the data are your own points, places one.
      await page.getByTestId('dataset-select').selectOption('custom');
      await h.expectMessage(/click or drag on the plane/);
      const plane = page.getByTestId('plane');
      await plane.scrollIntoViewIfNeeded();
      const b = await plane.boundingBox();
      await plane.tap({ position: { x: 0.3 * b.width, y: 0.3 * b.height } });
      await h.until(() => /points=/.test(location.hash), null, 'a point in the link');
      const pts = decodeURIComponent((await h.hash()).match(/points=([^&]*)/)[1]).split(',').map(Number);
      assert.equal(pts.length, 2);
      assert.ok(Math.abs(pts[0] + 0.6) < 0.03 && Math.abs(pts[1] - 0.6) < 0.03, `the tap at (0.3, 0.3) of the plane placed ${pts}`);
      assert.equal((await state()).dataset, 'custom');
    });
}

// The first screen a student sees starts simple: the data, the loss, k, the speed, Play
// and Step, the layers; every other setting waits in a group that says what it holds.
for (const [hash, game, most] of [['', 'the 2D GAN', 12], ['#mode=mnist', 'MNIST', 12], ['#game=xy', 'the xy game', 12]]) {
  e2e(`the first screen of ${game} shows at most ${most} settings, each group saying what it holds`, { hash, simple: true }, async (h) => {
    const { page } = h;
    // The data-set thumbnails pick one setting, the data set, with its menu: not counted
    // apart from it.
    const shown = await page.evaluate(() => [...document.querySelectorAll('.panel input, .panel select, .panel button, .panel label.file')]
      .filter((e) => e.getClientRects().length > 0 && !e.closest('details:not([open])') && e.type !== 'file' && !e.closest('#dataset-thumbs'))
      .map((e) => e.id || e.dataset.testid || e.textContent));
    assert.ok(shown.length <= most, `${shown.length} settings in view: ${shown.join(', ')}`);
    assert.ok(shown.includes('loss-select') || hash === '#game=xy', `the loss is in view: ${shown.join(', ')}`);
    const groups = await page.evaluate(() => [...document.querySelectorAll('.panel details.group')]
      .filter((d) => d.getClientRects().length > 0).map((d) => [d.open, d.querySelector('summary small')?.textContent ?? '']));
    assert.ok(groups.length >= 1, 'settings wait in groups');
    assert.ok(groups.every(([open, about]) => !open && about.length > 10), JSON.stringify(groups));
    // Play is there, and trains.
    await page.getByTestId('play-pause').click();
    await h.stepPast(0);
  });
}
