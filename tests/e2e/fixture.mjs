// The end-to-end tests' fixture: Debian's Chromium through playwright-core, one browser per
// test file (node --test runs each file in its own process), and for EACH TEST its own
// browser context and page, opened on the page's URL, whose console errors fail the test.
//
// Configuration, by environment variable (tests/e2e/run.sh sets them from its arguments):
//   GAN_E2E_URL           the page, served plainly (required), e.g. http://127.0.0.1:8000/
//   GAN_E2E_ISOLATED_URL  the same dist/ served with COOP and COEP (isolated.test.mjs)
//   GAN_NATIVE_MNIST      the CLI's JSON summary of an MNIST run (mnist.test.mjs); its
//                         weights are read from GAN_NATIVE_MNIST_WEIGHTS, by default
//                         SUMMARY-without-.json/weights.safetensors (as scripts/test.sh
//                         writes test-artifacts/mnist-native{.json,/weights.safetensors})
//   GAN_E2E_ARTIFACTS     where screenshots and downloads go (default test-artifacts);
//                         a failed test leaves its page there as failed-NAME.png
//   CHROMIUM              the browser (default /usr/bin/chromium)
//
// Run everything:   bash tests/e2e/run.sh URL ISOLATED_URL ARTIFACTS
// One file:         bash tests/e2e/run.sh URL ISOLATED_URL ARTIFACTS tests/e2e/compare.test.mjs
// By name:          bash tests/e2e/run.sh URL ISOLATED_URL ARTIFACTS --test-name-pattern='diverge'
// or directly:      GAN_E2E_URL=... node --test tests/e2e/games.test.mjs
//
// No test depends on the machine's speed: a test waits for the state it needs (`until`,
// `page.waitForFunction` on window.ganPlayground.state(), with LONG timeouts) rather than
// sleeping a fixed time and expecting progress; rates are printed (t.diagnostic), never
// asserted. A short fixed wait is used only to see that nothing happens (paused: the step
// stays), which slowness cannot fail.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { mkdirSync, readFileSync } from 'node:fs';

export const url = process.env.GAN_E2E_URL;
export const isolatedUrl = process.env.GAN_E2E_ISOLATED_URL;
export const artifacts = process.env.GAN_E2E_ARTIFACTS || 'test-artifacts';
export const nativeMnistPath = process.env.GAN_NATIVE_MNIST;
export const nativeMnistWeights = process.env.GAN_NATIVE_MNIST_WEIGHTS
  || (nativeMnistPath && nativeMnistPath.replace(/\.json$/, '') + '/weights.safetensors');
export const nativeMnist = nativeMnistPath ? JSON.parse(readFileSync(nativeMnistPath, 'utf8')) : null;
mkdirSync(artifacts, { recursive: true });

/// How long a test waits for a state before it fails: long enough for a busy 2-core
/// machine; a test that passes never waits it out.
export const LONG = 120_000;

let browser = null;
const launch = () => (browser ??= chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
}));
after(async () => { if (browser) await (await browser).close(); });

/// A fresh page in its own context (its own storage, clipboard permissions, downloads),
/// collecting its console errors into `errors`; `device` may set the viewport, touch
/// (`hasTouch`) and a phone's viewport rules (`isMobile`).
export async function freshPage(errors, device = {}) {
  const context = await (await launch()).newContext({ viewport: { width: 1280, height: 800 }, ...device, acceptDownloads: true });
  context.setDefaultTimeout(LONG);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

/// The helpers a test gets, bound to its page.
export function helpers(page) {
  // Training runs in a worker: state() is what it last posted, so a read first waits
  // until every command sent has been answered (settled()), and reads the state at that
  // moment, in the same evaluation (a second round trip would let a busy machine's
  // training move on between the answer and the read).
  const state = () => page.evaluate(async () => {
    await window.ganPlayground.settled();
    return window.ganPlayground.state();
  });
  const h = {
    page,
    state,
    /// Waits until the page has painted a session; then, unless the test looks at the
    /// page as it first opens (`simple`), opens every group of settings, so that a test
    /// may use any control.
    ready: async () => {
      await page.waitForFunction(() => window.ganPlayground && window.ganPlayground.state().painted > 0
        && window.ganPlayground.state().step !== undefined, null, { timeout: LONG });
      if (!h.simple) await page.evaluate(() => { for (const d of document.querySelectorAll('details.group')) d.open = true; });
    },
    /// Waits until `fn(arg)` holds in the page (LONG at most); on a timeout the error says
    /// what `why()` (a string, or an async function of nothing) then reports.
    until: async (fn, arg, why = 'the state it waited for') => {
      try {
        await page.waitForFunction(fn, arg, { timeout: LONG });
      } catch (e) {
        const said = typeof why === 'function' ? await why().catch((x) => String(x)) : why;
        throw new Error(`waited ${LONG / 1000} s for ${said}: ${e.message.split('\n')[0]}`);
      }
    },
    /// Waits for the training step to pass `n`.
    stepPast: (n) => h.until((n) => window.ganPlayground.state().step > n, n,
      async () => `step > ${n}; state ${JSON.stringify(await state())}`),
    playing: async () => { if (!(await state()).running) await page.getByTestId('play-pause').click(); return state(); },
    paused: async () => { if ((await state()).running) await page.getByTestId('play-pause').click(); return state(); },
    /// A message is shown when the worker's answer arrives: wait for it, then check it,
    /// so a failure names the message that was there.
    expectMessage: async (re) => {
      await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('gan-message').textContent), re.source, { timeout: LONG }).catch(() => {});
      assert.match(await page.getByTestId('message').textContent(), re);
    },
    /// Types `value` into the control `testid` and commits it (a change event).
    setValue: async (testid, value) => {
      await page.getByTestId(testid).fill(String(value));
      await page.getByTestId(testid).dispatchEvent('change');
    },
    hash: async () => { await state(); return page.evaluate(() => location.hash); },
    pixels: (selector = '#gan-plane') => page.evaluate((s) => document.querySelector(s).toDataURL(), selector),
    /// Waits until the canvas `selector` shows something other than `before` (it is
    /// repainted on an animation frame after the worker's next frame).
    pixelsChange: async (before, selector = '#gan-plane', what = selector) => {
      await h.until(([s, b]) => document.querySelector(s).toDataURL() !== b, [selector, before], `${what} to change`);
      return h.pixels(selector);
    },
    /// The page's scroll size and the boxes `[left, top, right, bottom]` of the elements `ids`.
    layout: (ids) => page.evaluate((ids) => {
      const r = (id) => { const b = document.getElementById(id).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
      return { scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
        rects: Object.fromEntries(ids.map((id) => [id, r(id)])) };
    }, ids),
    /// The window resized to `w`×`ht`, then `layout(ids)` once it has settled: the layout
    /// changes on the frames after a resize, so it waits until the page is within bounds
    /// (or the wait ends; the caller's assertions then name what is out).
    layoutAt: async (w, ht, ids) => {
      await page.setViewportSize({ width: w, height: ht });
      await h.until(([w, ht, ids]) => {
        const d = document.documentElement;
        return d.scrollWidth <= w && d.scrollHeight <= ht && ids.every((id) => document.getElementById(id).getBoundingClientRect().right <= w + 0.5);
      }, [w, ht, ids], `the layout at ${w}×${ht}`).catch(() => {});
      return h.layout(ids);
    },
    /// Clicks `selector` and saves the download into the artifacts: [name, bytes].
    save: async (selector) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
      const path = `${artifacts}/${d.suggestedFilename()}`;
      await d.saveAs(path);
      return [d.suggestedFilename(), readFileSync(path), path];
    },
    shot: (name, p = page) => p.screenshot({ path: `${artifacts}/${name}` }),
  };
  return h;
}

/// An end-to-end test: `fn(h, t)` gets the helpers of a fresh page opened on
/// `url + (options.hash ?? '')` (on `options.device`: see freshPage) and ready; the test
/// also fails on any console error the page (or a page opened with `h.newPage()`) logged.
export function e2e(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  const { hash = '', timeout = 300_000, open = true, device = {}, simple = false, ...rest } = options;
  return test(name, { timeout, ...rest }, async (t) => {
    assert.ok(url, 'GAN_E2E_URL names a server of dist/ (tests/e2e/run.sh sets it)');
    const errors = [];
    const page = await freshPage(errors, device);
    const extra = [];
    const h = helpers(page);
    h.url = url;
    h.simple = simple;
    h.errors = errors;
    h.newPage = async () => { const p = await freshPage(errors); extra.push(p); return p; };
    let failed = true;
    try {
      if (open) {
        await page.goto(url + hash);
        await h.ready();
      }
      await fn(h, t);
      failed = false;
    } finally {
      if (failed) {
        const slug = name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
        await page.screenshot({ path: `${artifacts}/failed-${slug}.png` }).catch(() => {});
        if (errors.length) t.diagnostic(`console errors: ${errors.join(' | ')}`);
      }
      for (const p of extra) await p.context().close().catch(() => {});
      await page.context().close().catch(() => {});
    }
    assert.deepEqual(errors, [], 'no console errors');
  });
}
