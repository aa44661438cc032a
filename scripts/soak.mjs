// The page soak: the page trains in Debian's chromium, driven by
// Playwright, with every layer on; every switch interval one thing changes in rotation
// (loss, k, data set — in MNIST mode the networks instead —, mode 2d ↔ mnist), and every
// sample interval the page's and the worker's JS heaps and wasm memories are recorded.
// Fails (exit 1) when a memory series grows by 10% or more from the baseline minute (5) to
// the end, on a page or worker error, or when training makes no progress for a switch
// interval. Writes soak.json, soak.csv and soak-end.png to the output directory.
//
// Usage: node scripts/soak.mjs URL [MINUTES=30] [SWITCH_S=30] [SAMPLE_S=60] [OUT_DIR=test-artifacts/soak]
// Env:   SOAK_BASELINE_MIN   growth is measured from this minute (default 5, or half the run if shorter)
//        SOAK_MNIST_MODELS   the networks the MNIST sessions switch between (default mlp-small,mlp)
//        CHROMIUM            the browser (default /usr/bin/chromium)
//
// Measurement: before each sample the script asks V8 for a full garbage collection (CDP
// HeapProfiler.collectGarbage, in the page and in the worker), so that the JS heaps are
// the live heap, not garbage not yet collected; nothing else is forced. JS heaps are
// CDP Runtime.getHeapUsage().usedSize; the worker's is read through a CDP session attached
// to the worker target. Wasm memories are memory.buffer.byteLength of the wasm-bindgen
// module already loaded in each thread (its init returns the cached exports).
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';

const [url, minArg = '30', switchArg = '30', sampleArg = '60', out = 'test-artifacts/soak'] = process.argv.slice(2);
const minutes = Number(minArg), switchS = Number(switchArg), sampleS = Number(sampleArg);
if (!url || ![minutes, switchS, sampleS].every((v) => Number.isFinite(v) && v > 0)) {
  console.error('usage: node scripts/soak.mjs URL [MINUTES=30] [SWITCH_S=30] [SAMPLE_S=60] [OUT_DIR]');
  process.exit(2);
}
const baselineMin = process.env.SOAK_BASELINE_MIN !== undefined ? Number(process.env.SOAK_BASELINE_MIN) : Math.min(5, minutes / 2);
const mnistModels = (process.env.SOAK_MNIST_MODELS || 'mlp-small,mlp').split(',').filter(Boolean);
const BOUND = 10; // percent: the growth after the baseline minute that counts as a leak
const LAYERS = ['real', 'fake', 'manifold', 'heatmap', 'arrows', 'optimal'];
const KINDS = ['loss', 'k', 'dataset', 'mode'];
const MiB = 1024 * 1024;
mkdirSync(out, { recursive: true });

const problems = [];  // each one fails the soak
const events = [];    // switches, divergences, resets: the run's log
let t0 = Date.now();
const clock = () => +((Date.now() - t0) / 60000).toFixed(3);
const problem = (kind, detail) => {
  problems.push({ min: clock(), kind, detail });
  console.log(`  ! ${clock().toFixed(2)} min: ${kind}: ${detail}`);
};
const note = (kind, detail) => events.push({ min: clock(), kind, ...detail });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (p, ms, what) => Promise.race([p, sleep(ms).then(() => { throw new Error(`${what}: no answer in ${ms} ms`); })]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
let closing = false;
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
// Console errors of the page and of the worker (the page's event carries the worker's too
// in recent Playwright; those are taken from the worker's own event instead).
page.on('console', (m) => { if (m.type() === 'error' && !(m.worker && m.worker())) problem('console error', m.text()); });
page.on('pageerror', (e) => problem('page error', String(e)));
page.on('crash', () => problem('page crash', 'the renderer crashed'));
page.on('worker', (w) => {
  note('worker started', { url: w.url() });
  w.on('console', (m) => { if (m.type() === 'error') problem('worker console error', m.text()); });
  w.on('close', () => { if (!closing) problem('worker closed', w.url()); });
});
const worker = () => page.workers().find((w) => w.url().endsWith('/worker.js'));

// CDP: the page's session, and the worker's through Target auto-attach (non-flat sessions,
// spoken to with Target.sendMessageToTarget, since Playwright's CDPSession has no sessionId).
const cdp = await page.context().newCDPSession(page);
let workerSession = null, nextId = 1;
const waiting = new Map();
cdp.on('Target.attachedToTarget', (e) => {
  if (e.targetInfo.type === 'worker' && e.targetInfo.url.endsWith('/worker.js')) workerSession = e.sessionId;
});
cdp.on('Target.detachedFromTarget', (e) => { if (e.sessionId === workerSession) workerSession = null; });
cdp.on('Target.receivedMessageFromTarget', (e) => {
  const m = JSON.parse(e.message);
  if (waiting.has(m.id)) { waiting.get(m.id)(m); waiting.delete(m.id); }
});
const workerCdp = (method, params = {}) => withTimeout(new Promise((resolve, reject) => {
  const id = nextId++;
  waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
  cdp.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) }).catch(reject);
}), 15000, `worker ${method}`);

// The page's API (tests/e2e/page.mjs): state() is what the worker last posted; settled()
// resolves when every command sent has been answered.
const state = async () => {
  await withTimeout(page.evaluate(() => window.ganPlayground.settled()), 60000, 'settled()');
  return page.evaluate(() => window.ganPlayground.state());
};
const quickState = () => page.evaluate(() => window.ganPlayground.state());
const hashOf = (s) => Object.fromEntries(new URLSearchParams(s.hash || ''));
const ensureRunning = async (why) => {
  let s = await state();
  if (!s.running) {
    await page.getByTestId('play-pause').click();
    s = await state();
    note('play', { why, running: s.running });
  }
  if (!s.running) problem('not training', `Play pressed after ${why}, still paused (${s.error || 'no error'})`);
  return s;
};

// Steps trained, over both sessions: a restart (data set, networks, reset) starts its
// counter again; a stall is no step for longer than a switch interval.
const lastStep = {};
let stepsTotal = 0, lastProgress = Date.now(), stalled = false, lastReset = 0, divergences = 0;
const track = (s) => {
  if (s.step === undefined || s.mode === undefined) return;
  const prev = lastStep[s.mode];
  if (prev === undefined) stepsTotal += s.step;
  else stepsTotal += s.step >= prev ? s.step - prev : s.step;
  if (s.step !== prev) { lastProgress = Date.now(); stalled = false; }
  lastStep[s.mode] = s.step;
};
// A diverged run stops itself; the soak records it and resets, as a user would.
const resetDiverged = async (s) => {
  divergences++;
  note('diverged', { mode: s.mode, loss: s.loss, k: s.k, dataset: s.dataset, step: s.step, error: s.error });
  lastReset = Date.now();
  await page.getByTestId('reset').click();
  await ensureRunning('a reset after divergence');
  lastProgress = Date.now();
};
const FATAL = /worker stopped|unreachable|recursive use|RuntimeError|panicked|cannot open/i;
let lastMessage = '';
const poll = async () => {
  const s = await quickState();
  track(s);
  const msg = await page.getByTestId('message').textContent();
  if (msg !== lastMessage && FATAL.test(msg)) problem('page message', msg);
  lastMessage = msg;
  if (s.error && Date.now() - lastReset > 3000) {
    await resetDiverged(s);
    return;
  }
  if (!stalled && Date.now() - lastProgress > switchS * 1000) {
    stalled = true;
    problem('stalled', `no step for ${switchS} s (mode ${s.mode}, step ${s.step}, running ${s.running}, error ${s.error || 'none'})`);
  }
};

// The rotation.
// Losses go round their families (classic, f-GAN, Wasserstein, least squares and hinge)
// in turn, so that every family and every Wasserstein variant is visited early (a
// 30-minute run with the defaults makes 15 loss switches: every classic, Wasserstein, least
// squares and hinge loss, and 4 of the 22 f-GAN ones).
let losses = [], lossPos = 0, datasets = [];
const counters = { loss: 0, k: 0, dataset: 0, model: 0, mode: 0 };
const next = (list, current) => list[(list.indexOf(current) + 1) % list.length];
const doSwitch = async (kind) => {
  const before = await state();
  let what, check;
  if (kind === 'loss') {
    let v = losses[lossPos++ % losses.length];
    if (v === before.loss) v = losses[lossPos++ % losses.length];
    await page.getByTestId('loss-select').selectOption(v);
    what = `loss ${before.loss} → ${v}`;
    check = (s) => s.loss === v;
  } else if (kind === 'k') {
    const v = (before.k % 5) + 1;
    await page.getByTestId('k-steps').fill(String(v));
    await page.getByTestId('k-steps').dispatchEvent('change');
    await page.getByTestId('k-steps').blur(); // the page does not update a focused input
    what = `k ${before.k} → ${v}`;
    check = (s) => s.k === v;
  } else if (kind === 'dataset' && before.mode === '2d') {
    const v = next(datasets, before.dataset);
    await page.getByTestId('dataset-select').selectOption(v);
    what = `data set ${before.dataset} → ${v}`;
    check = (s) => s.dataset === v;
    kind = 'dataset';
  } else if (kind === 'dataset') {
    const cur = hashOf(before).model;
    const v = next(mnistModels, cur);
    await page.getByTestId('mnist-model').selectOption(v);
    what = `MNIST networks ${cur} → ${v}`;
    check = (s) => hashOf(s).model === v;
    kind = 'model';
  } else {
    const v = before.mode === '2d' ? 'mnist' : '2d';
    await page.getByTestId('mode-select').selectOption(v);
    await page.waitForFunction((m) => window.ganPlayground.state().mode === m, v, { timeout: 120000 })
      .catch(() => problem('mode switch', `the page did not reach mode ${v} in 120 s`));
    what = `mode ${before.mode} → ${v}`;
    check = (s) => s.mode === v;
  }
  counters[kind]++;
  const s = await ensureRunning(what);
  if (!check(s)) problem('switch not applied', `${what}: state has mode ${s.mode}, loss ${s.loss}, k ${s.k}, dataset ${s.dataset}, hash ${s.hash}`);
  note('switch', { what, step: s.step });
  console.log(`  ${clock().toFixed(2)} min: ${what} (step ${s.step}, running ${s.running})`);
  track(s);
  lastProgress = Date.now();
};

// One sample: garbage collected first in both threads (see the header).
const samples = [];
const sample = async (scheduled) => {
  await cdp.send('HeapProfiler.collectGarbage');
  const pageHeap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  let workerHeap = null;
  if (workerSession) {
    try {
      await workerCdp('HeapProfiler.collectGarbage');
      workerHeap = (await workerCdp('Runtime.getHeapUsage')).usedSize;
    } catch (e) { problem('worker heap', e.message); }
  } else problem('worker heap', 'no CDP session attached to the worker');
  // Counting the .wasm fetches before and after shows that the module's init returned the
  // instance already there instead of starting a second one.
  const wasmSize = async (target, spec) => target.evaluate(async (spec) => {
    const fetches = () => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('_bg.wasm')).length;
    const before = fetches();
    const bytes = (await (await import(spec)).default()).memory.buffer.byteLength;
    return { bytes, extra: fetches() - before };
  }, spec);
  const w = worker();
  let workerWasm = null, pageWasm = null;
  try {
    if (!w) throw new Error('no worker');
    const r = await withTimeout(wasmSize(w, './gan-playground.js'), 15000, 'worker wasm');
    if (r.extra) problem('measurement', 'reading the worker wasm memory loaded a second module');
    workerWasm = r.bytes;
  } catch (e) { problem('worker wasm', e.message); }
  try {
    const r = await wasmSize(page, '/gan-playground.js');
    if (r.extra) problem('measurement', 'reading the page wasm memory loaded a second module');
    pageWasm = r.bytes;
  } catch (e) { problem('page wasm', e.message); }
  const s = await quickState();
  track(s);
  const layersOn = await page.evaluate(() => [...document.querySelectorAll('[data-layer]')].filter((e) => e.checked).length);
  const row = {
    min: clock(), scheduled_min: +(scheduled / 60).toFixed(3),
    page_js_heap: pageHeap, worker_js_heap: workerHeap, worker_wasm: workerWasm, page_wasm: pageWasm,
    steps_total: stepsTotal, step: s.step, running: s.running, mode: s.mode, dataset: s.dataset,
    model: s.mode === 'mnist' ? hashOf(s).model : '', loss: s.loss, k: s.k,
    steps_per_s: s.steps_per_s === undefined ? null : +Number(s.steps_per_s).toFixed(1),
    fps: +Number(s.fps).toFixed(1), layers_on: layersOn, error: s.error || '',
  };
  samples.push(row);
  console.log(`  ${row.min.toFixed(2)} min: sample: page JS ${mib(pageHeap)}, worker JS ${mib(workerHeap)}, worker wasm ${mib(workerWasm)}, page wasm ${mib(pageWasm)} MiB; ${stepsTotal} steps, ${s.mode} ${s.mode === '2d' ? s.dataset : row.model} ${s.loss} k=${s.k}`);
  save();
};
const mib = (b) => (b === null ? '–' : (b / MiB).toFixed(2));

// Output.
const SERIES = [['page_js_heap', 'page JS heap'], ['worker_js_heap', 'worker JS heap'], ['worker_wasm', 'worker wasm memory'], ['page_wasm', 'page wasm memory']];
let summary = null;
const judge = () => {
  const base = samples.find((r) => r.scheduled_min >= baselineMin - 1e-9);
  const end = samples[samples.length - 1];
  return SERIES.map(([key, label]) => {
    if (!base || !end || base === end || base[key] === null || end[key] === null) {
      return { series: key, label, baseline: base ? base[key] : null, end: end ? end[key] : null, growth_pct: null, peak: null, pass: false, why: 'too few samples after the baseline' };
    }
    const after = samples.slice(samples.indexOf(base)).map((r) => r[key]).filter((v) => v !== null);
    // Where the series stepped up after the baseline, and the switches just before: a
    // first use of a bigger configuration reads differently from a steady climb.
    const steps_up = [];
    for (let i = samples.indexOf(base) + 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1], samples[i]];
      if (a[key] === null || b[key] === null || b[key] <= a[key] * 1.01) continue;
      const sw = events.filter((e) => e.kind === 'switch' && e.min > a.min && e.min <= b.min).map((e) => e.what);
      steps_up.push({ min: b.min, by: b[key] - a[key], after: sw });
    }
    const growth = 100 * (end[key] - base[key]) / base[key];
    return { series: key, label, baseline_min: base.min, baseline: base[key], end: end[key], growth_pct: +growth.toFixed(2),
             peak: Math.max(...after), peak_growth_pct: +(100 * (Math.max(...after) - base[key]) / base[key]).toFixed(2), pass: growth < BOUND, steps_up };
  });
};
const save = () => {
  const config = { url, minutes, switch_s: switchS, sample_s: sampleS, baseline_min: baselineMin, bound_pct: BOUND,
                   mnist_models: mnistModels, gc_before_sample: 'CDP HeapProfiler.collectGarbage in page and worker' };
  writeFileSync(`${out}/soak.json`, JSON.stringify({ config, summary, counters, divergences, problems, events, samples }, null, 1) + '\n');
  const cols = Object.keys(samples[0] || { min: 0 });
  const csv = [cols.join(','), ...samples.map((r) => cols.map((c) => JSON.stringify(r[c] ?? '')).join(','))];
  writeFileSync(`${out}/soak.csv`, csv.join('\n') + '\n');
};

let exitCode = 1;
try {
  await page.goto(url);
  await page.waitForFunction(() => window.ganPlayground && window.ganPlayground.state().fps > 0 && window.ganPlayground.state().step !== undefined, null, { timeout: 60000 });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  for (let i = 0; i < 50 && !workerSession; i++) await sleep(100);
  if (!workerSession) problem('worker heap', 'could not attach to the worker target; its JS heap is not measured');
  for (const l of LAYERS) await page.getByTestId(`layer-${l}`).check();
  losses = await page.evaluate(() => {
    const families = [...document.querySelectorAll('#loss-select optgroup')].map((g) => [...g.querySelectorAll('option')].map((o) => o.value));
    const longest = Math.max(...families.map((f) => f.length));
    const order = [];
    // Each round starts one family later, so that with the mode flipping every other loss
    // switch, every family is trained in both modes.
    for (let i = 0; i < longest; i++) {
      for (let j = 0; j < families.length; j++) {
        const f = families[(i + j) % families.length];
        order.push(f[i % f.length]);
      }
    }
    return order;
  });
  datasets = await page.evaluate(() => [...document.querySelectorAll('#dataset-select option')].map((o) => o.value).filter((v) => v !== 'custom'));
  console.log(`page soak: ${minutes} min, one switch every ${switchS} s (${KINDS.join(', ')}), a sample every ${sampleS} s, growth judged from minute ${baselineMin}`);
  console.log(`  losses in turn: ${losses.slice(0, 16).join(' ')} …; data sets: ${datasets.join(' ')}; MNIST networks: ${mnistModels.join(' ')}`);
  console.log('  each sample follows a full garbage collection (CDP HeapProfiler.collectGarbage) in the page and in the worker');
  await ensureRunning('opening the page');
  t0 = Date.now();
  lastProgress = Date.now();
  const end = minutes * 60;
  const sampleTimes = [];
  for (let t = 0; t <= end + 1e-9; t += sampleS) sampleTimes.push(t);
  if (sampleTimes[sampleTimes.length - 1] < end - 1e-9) sampleTimes.push(end);
  let si = 0, nextSwitch = switchS, kind = 0;
  while (si < sampleTimes.length) {
    const t = (Date.now() - t0) / 1000;
    if (t >= sampleTimes[si]) { await sample(sampleTimes[si++]); continue; }
    if (nextSwitch < end && t >= nextSwitch) {
      try { await doSwitch(KINDS[kind++ % KINDS.length]); } catch (e) { problem('switch', e.message); }
      nextSwitch += switchS;
      continue;
    }
    try { await poll(); } catch (e) { problem('poll', e.message); }
    const due = Math.min(sampleTimes[si], nextSwitch < end ? nextSwitch : Infinity) - (Date.now() - t0) / 1000;
    await sleep(Math.max(0, Math.min(1000, due * 1000)));
  }
  summary = judge();

  // The picture at the end: the 2D plane with every layer, training.
  const s = await state();
  if (s.mode !== '2d') {
    await page.getByTestId('mode-select').selectOption('2d');
    await page.waitForFunction(() => window.ganPlayground.state().mode === '2d', null, { timeout: 60000 });
  }
  const last = await state();
  if (last.error) await resetDiverged(last);
  const shown = await ensureRunning('the final screenshot');
  await sleep(3000);
  await page.screenshot({ path: `${out}/soak-end.png` });
  const layersOn = await page.evaluate(() => [...document.querySelectorAll('[data-layer]')].filter((e) => e.checked).map((e) => e.dataset.layer));
  console.log(`  screenshot ${out}/soak-end.png: mode 2d, ${shown.dataset}, running ${shown.running}, layers on: ${layersOn.join(' ')}`);
} catch (e) {
  problem('soak', e.stack || String(e));
} finally {
  closing = true;
  save();
  await browser.close().catch(() => {});
}

// The report.
const pad = (v, n) => String(v).padStart(n);
console.log('\nsamples (MiB; JS heaps after a forced full GC):');
console.log(`${pad('min', 6)} ${pad('page JS', 8)} ${pad('worker JS', 9)} ${pad('wkr wasm', 9)} ${pad('page wasm', 9)} ${pad('steps', 8)}  state`);
for (const r of samples) {
  console.log(`${pad(r.min.toFixed(2), 6)} ${pad(mib(r.page_js_heap), 8)} ${pad(mib(r.worker_js_heap), 9)} ${pad(mib(r.worker_wasm), 9)} ${pad(mib(r.page_wasm), 9)} ${pad(r.steps_total, 8)}  ${r.mode} ${r.mode === '2d' ? r.dataset : r.model} ${r.loss} k=${r.k}${r.running ? '' : ' (paused)'}${r.error ? ` error: ${r.error}` : ''}`);
}
console.log(`\nswitches: ${counters.loss} loss, ${counters.k} k, ${counters.dataset} data set, ${counters.model} MNIST networks, ${counters.mode} mode; divergences (reset and resumed): ${divergences}; steps trained: ${stepsTotal}`);
const memoryPass = summary !== null && summary.every((r) => r.pass);
if (summary) {
  console.log(`memory, growth from minute ${baselineMin} to the end (bound: < ${BOUND}%):`);
  for (const r of summary) {
    console.log(`  ${r.label.padEnd(20)} ${r.growth_pct === null ? `not judged: ${r.why}` :
      `${mib(r.baseline)} MiB at ${r.baseline_min.toFixed(2)} min → ${mib(r.end)} MiB at the end: ${r.growth_pct >= 0 ? '+' : ''}${r.growth_pct}% (peak ${mib(r.peak)} MiB, ${r.peak_growth_pct >= 0 ? '+' : ''}${r.peak_growth_pct}%)`}  ${r.pass ? 'PASS' : 'FAIL'}`);
    if (r.series.endsWith('wasm')) for (const u of r.steps_up || []) console.log(`      up ${mib(u.by)} MiB by ${u.min.toFixed(2)} min, after: ${u.after.join('; ') || 'no switch'}`);
  }
}
if (problems.length) {
  console.log(`problems (${problems.length}):`);
  for (const p of problems) console.log(`  ${p.min.toFixed(2)} min: ${p.kind}: ${p.detail}`);
}
exitCode = memoryPass && problems.length === 0 ? 0 : 1;
console.log(`\nsoak ${exitCode === 0 ? 'PASS' : 'FAIL'}; ${out}/soak.json, ${out}/soak.csv, ${out}/soak-end.png`);
process.exit(exitCode);
