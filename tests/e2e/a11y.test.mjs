// Accessibility: axe-core (WCAG 2.2 A and AA rules) over every game, compare mode, the
// lessons panel open and the phone layout, with no serious or critical violation.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { e2e } from './fixture.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/// axe-core's serious and critical violations on the page as it is, each as
/// "rule: target (summary)".
const violations = async (page) => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})`));
};

const views = [
  ['the 2D GAN', ''],
  ['MNIST', '#mode=mnist'],
  ['the xy game', '#game=xy'],
  ['the BiGAN', '#game=bigan'],
  ['the CycleGAN', '#game=cyclegan'],
  ['compare mode', '#cmp=1'],
];

for (const [name, hash] of views) {
  e2e(`accessibility: ${name} has no serious or critical axe-core violation`, { hash }, async (h) => {
    assert.deepEqual(await violations(h.page), []);
  });
}

e2e('accessibility: the lessons panel open, and the benchmark card, have no serious or critical axe-core violation', async (h) => {
  const { page } = h;
  await page.getByTestId('lessons-open').click();
  assert.deepEqual(await violations(page), [], 'lessons panel');
  await page.keyboard.press('Escape');
  await page.getByTestId('bench-open').click();
  assert.deepEqual(await violations(page), [], 'benchmark card');
});

e2e('accessibility: the phone layout has no serious or critical axe-core violation', { device: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } }, async (h) => {
  assert.deepEqual(await violations(h.page), []);
});
