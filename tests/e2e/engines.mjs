// The page in each browser engine, driven through WebDriver (webdriver.mjs): the checks
// that engine-chromium, engine-firefox and engine-webkit.test.mjs run, one engine a file so
// that they run in parallel lanes. Like every end-to-end test, none depends on the
// machine's speed: each waits for the state it needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openBrowser } from './webdriver.mjs';

const url = process.env.GAN_E2E_URL;
const isolatedUrl = process.env.GAN_E2E_ISOLATED_URL;
const artifacts = process.env.GAN_E2E_ARTIFACTS || 'test-artifacts';
mkdirSync(artifacts, { recursive: true });

// In the page: the state once every command sent is answered.
const settledState = async () => { await window.ganPlayground.settled(); return window.ganPlayground.state(); };
const errorsOf = () => window.pageErrors;

/** What the browser supports, by the page's own feature tests (js/modules.js): the test
 * checks that the build the worker reports having started is the one they call for. */
const features = () => import('./js/modules.js').then((m) => ({
  relaxed: m.relaxedSimd(),
  shared: m.sharedMemory(),
  cores: navigator.hardwareConcurrency || 1,
}));

/** Opens `page` in `b` and waits for the session's first painted frame. */
const load = async (b, page) => {
  await b.open(page);
  await b.until(() => { const s = window.ganPlayground?.state(); return s && s.step !== undefined && s.painted > 0; }, 'the first frame');
};

/** Opens every group of settings, as a person would who wants all of them. */
const openGroups = (b) => b.eval(() => { for (const d of document.querySelectorAll('details')) d.open = true; });

/**
 * The checks of one engine.
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 */
export function engineTests(engine) {
  let b;
  test.before(async () => { b = await openBrowser(engine); });
  test.after(async () => { if (b) await b.close(); });

  test('loads with no error, takes the best module the browser supports, trains, changes loss and k live, opens MNIST', async (t) => {
    for (const [how, page] of [['served plainly', url], ['cross-origin isolated', isolatedUrl]]) {
      await load(b, page);
      const f = await b.eval(features);
      const s = await b.eval(settledState);
      // The best build: relaxed SIMD where it validates, with threads where the module's
      // shared memory is allowed too; else the plain simd128 build, and the page says why.
      assert.equal(s.build, f.relaxed ? 'relaxed SIMD' : 'simd128', `${how}: build`);
      assert.equal(s.threads > 1, f.relaxed && f.shared && f.cores > 1, `${how}: threads ${s.threads}`);
      const note = await b.eval(() => document.getElementById('gan-message').textContent);
      if (!f.relaxed) assert.match(note, /does not validate relaxed SIMD/, `${how}: the fallback is said`);
      t.diagnostic(`${b.name}, ${how}: ${s.build}, ${s.threads} thread${s.threads > 1 ? 's' : ''}${note ? ` · says: ${note}` : ''}`);
    }
    // Isolated, as the run command serves it: Play by a person's press, then the loss and
    // k changed while it trains.
    await b.press('#play-pause');
    await b.until(() => { const s = window.ganPlayground.state(); return s.running && s.step >= 5; }, 'training');
    await b.choose('#loss-select', 'lsgan');
    await b.type('#k-steps', '3');
    const live = await b.until(async () => {
      await window.ganPlayground.settled();
      const s = window.ganPlayground.state();
      return s.loss === 'lsgan' && s.k === 3 && s.running ? s : null;
    }, 'the loss and k changed live');
    await b.until((from) => window.ganPlayground.state().d_steps >= from + 30, 'training on with them', live.d_steps);
    const fps = await b.until(() => window.ganPlayground.state().fps, 'a frame rate');
    t.diagnostic(`${b.name}: training at ${fps.toFixed(0)} frames/s, step ${live.step} when loss and k changed`);
    // MNIST, from the game menu.
    await b.choose('#mode-select', 'mnist');
    await b.until(() => { const s = window.ganPlayground.state(); return s.mode === 'mnist' && s.painted > 0; }, 'MNIST open');
    await b.press('#play-pause');
    await b.until(() => { const s = window.ganPlayground.state(); return s.mode === 'mnist' && s.step >= 3; }, 'MNIST training');
    await b.press('#play-pause');
    assert.deepEqual(await b.eval(errorsOf), [], 'no error on the page');
  });

  test('a real mouse press on every button does what it says', async (t) => {
    await load(b, url);
    await openGroups(b);
    // Every click that reaches a button, whatever its handler does.
    await b.eval(() => {
      window.clicked = [];
      document.addEventListener('click', (e) => {
        const el = e.target instanceof Element ? e.target.closest('button') : null;
        if (el) window.clicked.push(el.id || el.dataset.export + el.dataset.chart || el.textContent);
      }, true);
    });
    const pressed = new Set();
    /**
     * Presses `css` and waits until `effect(arg)`, in the page, holds.
     * @param {string} css
     * @param {string} what  what the press should do
     * @param {(arg: unknown) => unknown} effect
     * @param {unknown} [arg]
     */
    const check = async (css, what, effect, arg) => {
      const before = await b.eval(() => window.clicked.length);
      await b.press(css);
      try {
        await b.until(effect, `${css}: ${what}`, arg);
      } catch (e) {
        const seen = await b.eval(() => [window.clicked.slice(-3), document.getElementById('gan-message').textContent]);
        writeFileSync(`${artifacts}/failed-${engine}-press.png`, await b.driver.takeScreenshot(), 'base64');
        throw new Error(`${e.message}; the last clicks: ${seen[0].join(', ')}; the message: ${seen[1]}`);
      }
      assert.ok(await b.eval((n) => window.clicked.length > n, before), `${css}: the click arrived`);
      pressed.add(await b.eval((sel) => { const el = document.querySelector(sel); return el.id || el.dataset.export + el.dataset.chart; }, css));
    };

    await check('#play-pause', 'plays', () => { const s = window.ganPlayground.state(); return s.running && /Pause/.test(document.getElementById('play-pause').textContent); });
    await check('#play-pause', 'pauses', async () => { await window.ganPlayground.settled(); return !window.ganPlayground.state().running && /Play/.test(document.getElementById('play-pause').textContent); });
    let s = await b.eval(settledState);
    await check('#step', 'one iteration', async (from) => { await window.ganPlayground.settled(); return window.ganPlayground.state().step === from + 1; }, s.step);
    s = await b.eval(settledState);
    await check('#step-d', 'one D step', async (from) => { await window.ganPlayground.settled(); const x = window.ganPlayground.state(); return x.d_steps === from.d + 1 && x.g_steps === from.g; }, { d: s.d_steps, g: s.g_steps });
    s = await b.eval(settledState);
    await check('#step-g', 'one G step', async (from) => { await window.ganPlayground.settled(); const x = window.ganPlayground.state(); return x.g_steps === from.g + 1 && x.d_steps === from.d; }, { d: s.d_steps, g: s.g_steps });
    await check('#reset', 'back to step 0', async () => { await window.ganPlayground.settled(); return window.ganPlayground.state().step === 0; });
    await check('#lessons-open', 'opens the lessons', () => !document.getElementById('lessons-card').hidden && document.getElementById('lessons-open').getAttribute('aria-expanded') === 'true');
    await check('#lessons-close', 'closes them', () => document.getElementById('lessons-card').hidden);
    await check('#projector', 'projector mode on', () => document.body.classList.contains('projector') && document.getElementById('projector').getAttribute('aria-pressed') === 'true');
    await check('#projector', 'and off', () => !document.body.classList.contains('projector'));
    await check('#copy-link', 'gives the link', () => /link/.test(document.getElementById('gan-message').textContent));
    await check('#ttur', "sets TTUR's rates", async () => { await window.ganPlayground.settled(); const [d, g] = window.wasmBindings.ttur_rates(); const rate = (k) => Number(document.querySelector(`[data-key="${k}"]`).value); return /TTUR/.test(document.getElementById('gan-message').textContent) && Math.abs(rate('lrd') - d) < 1e-9 && Math.abs(rate('lrg') - g) < 1e-9; });
    await check('#draw-points', 'starts drawing points', () => /click or drag on the plane/.test(document.getElementById('gan-message').textContent));
    await check('#clear-points', 'clears them', async () => { await window.ganPlayground.settled(); return window.ganPlayground.state().points === 0; });
    await check('#bench-open', 'opens the benchmark', () => !document.getElementById('bench-card').hidden);
    await check('#bench-preset', "applies the benchmark's preset", () => /preset|applied/i.test(document.getElementById('gan-message').textContent) || /preset|applied/i.test(document.getElementById('bench-status').textContent));
    await check('#bench-start', 'starts a benchmark', () => !document.getElementById('bench-cancel').disabled);
    await check('#bench-cancel', 'cancels it', () => document.getElementById('bench-cancel').disabled);
    await check('#bench-copy', 'copies the table, or says how', () => document.getElementById('bench-status').textContent !== '');
    await check('#bench-clear', 'clears the table', () => document.querySelectorAll('#bench-table tbody tr').length === 0);
    await check('#bench-close', 'closes the benchmark', () => document.getElementById('bench-card').hidden);
    // The pretrained networks of this data set, when it has them.
    if (await b.eval(() => !document.getElementById('load-pretrained').disabled)) {
      await check('#load-pretrained', 'loads the pretrained networks', () => /pretrained/.test(document.getElementById('gan-message').textContent));
    }
    // The presses that save a file last: WebKit's MiniBrowser lists each download in a bar
    // that takes height from the page.
    await check('#save-weights', 'saves the weights', () => /^saved gan-playground-.*\.safetensors$/.test(document.getElementById('gan-message').textContent));
    await check('#plane-png', 'saves the plane', () => /^saved gan-playground-plane.*\.png$/.test(document.getElementById('gan-message').textContent));
    await check('#plane-record', 'records the plane, or says it cannot', () => /recording the plane|cannot record/.test(document.getElementById('gan-message').textContent));
    if (await b.eval(() => document.getElementById('plane-record').classList.contains('recording'))) {
      await check('#plane-record', 'stops and saves the video', () => /^saved gan-playground-plane.*\.(webm|mp4)$/.test(document.getElementById('gan-message').textContent));
    }
    for (const chart of [0, 1, 2]) {
      for (const kind of ['png', 'csv']) {
        // A chart's data exists once the charts have a point: after a step.
        await check(`button[data-export="${kind}"][data-chart="${chart}"]`, `saves chart ${chart} as ${kind}`,
          (k) => new RegExp(`^saved gan-playground-.*\\.${k}$`).test(document.getElementById('gan-message').textContent), kind);
        await b.eval(() => { document.getElementById('gan-message').textContent = ''; });
      }
    }
    // The buttons the page made from the engine's tables (the papers' presets, the
    // lessons): each, pressed, does what its own test checks elsewhere; here, that the
    // press arrives. The lessons are the last: one opens a new set-up.
    const made = await b.eval(() => [...document.querySelectorAll('button')]
      .filter((el) => !el.id && !el.dataset.export && !el.disabled && el.getClientRects().length > 0)
      .map((el, i) => { el.dataset.pressTest = String(i); return `button[data-press-test="${i}"]`; }));
    for (const css of made) await check(css, 'receives the press', () => true);
    const missed = await b.eval((done) => [...document.querySelectorAll('button')]
      .filter((el) => (el.id || el.dataset.export) && !done.includes(el.id || el.dataset.export + el.dataset.chart))
      .map((el) => `${el.id || el.dataset.export}${el.disabled ? ' (disabled)' : ''}${el.getClientRects().length ? '' : ' (hidden)'}`), [...pressed]);
    t.diagnostic(`${b.name}: ${pressed.size + made.length} presses; not pressed: ${missed.join(', ') || 'none'}`);
    assert.deepEqual(await b.eval(errorsOf), [], 'no error on the page');
  });
}
