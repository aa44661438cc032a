// @ts-check
// The mode-collapse benchmark card (src/web/mode_benchmark.rs over core's protocol, the CLI's
// `benchmark`): seeds 1..N of the configuration in the link, each trained for the
// iterations asked and scored on 2,500 samples, in a worker of its own (mode-benchmark-worker.js)
// so that training goes on; each run is posted as it ends, then core's summary. Cancel
// terminates that worker. The table keeps every benchmark of the page's life (and of
// earlier visits, in localStorage).
import { state } from './connection.js';
import { $, button, input, message, setProp, setText } from './dom.js';
import { engine } from './engine.js';
import { applyPreset } from './presets.js';

/** @typedef {import('./protocol.js').BenchReport} BenchReport */
/** @typedef {import('./protocol.js').BenchRunLine} BenchRunLine */
/** @typedef {import('./protocol.js').BenchMessage} BenchMessage */
/** @typedef {import('./protocol.js').BenchRequest} BenchRequest */
/** @typedef {import('./protocol.js').State} State */

/**
 * The benchmark running: its configuration and the runs ended so far.
 * @typedef {object} Live
 * @property {string} label
 * @property {string} dataset
 * @property {string} link
 * @property {number} of
 * @property {number} iterations
 * @property {BenchRunLine[]} runs
 */

const STORE = 'gan-playground.benchmarks';

/**
 * A row from an earlier visit, kept only when whole (the storage is the user's to edit).
 * @param {any} r
 * @returns {r is BenchReport}
 */
const whole = (r) => r && typeof r === 'object' && typeof r.dataset === 'string' && typeof r.label === 'string' &&
  typeof r.link === 'string' && Array.isArray(r.cells) && r.cells.length === 5 && r.cells.every((/** @type {unknown} */ c) => typeof c === 'string') &&
  Number.isFinite(r.iterations) && Number.isFinite(r.seconds) && r.summary && Number.isFinite(r.summary.modes_total);

/** @returns {BenchReport[]} */
const stored = () => {
  let rows;
  try { rows = JSON.parse(localStorage.getItem(STORE) || '[]'); } catch { rows = []; }
  return Array.isArray(rows) ? rows.filter(whole) : [];
};

/** @type {BenchReport[]} */
let rows = [];
/** @type {Live | null} */
let live = null;
/** @type {Worker | null} */
let worker = null;
let refusal = '', refusalOf = /** @type {string | null} */ (null), shownFor = /** @type {string | null} */ (null);

/** The table's rows and the benchmark running (the end-to-end tests read them). */
export const benchmarks = () => ({ rows, live });

const keep = () => {
  try { localStorage.setItem(STORE, JSON.stringify(rows)); } catch { /* private mode: the page's life only */ }
};

/**
 * The card's status line.
 * @param {string} text
 * @param {'info' | 'error'} [kind]
 */
const say = (text, kind = 'info') => {
  setText($('bench-status'), text);
  setProp($('bench-status'), 'className', `bench-status ${kind}`);
};

/** @param {number} v */
const secs = (v) => `${v.toFixed(1)} s`;

/**
 * @param {string} text
 * @param {string} [cls]
 * @param {string} [title]
 */
const cell = (text, cls, title) => {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  if (title) td.title = title;
  return td;
};

/**
 * @param {HTMLElement[]} cells
 * @param {string} [cls]
 * @param {string} [testid]
 */
const row = (cells, cls, testid) => {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  if (testid) tr.dataset.testid = testid;
  tr.append(...cells);
  return tr;
};

/** @param {string} text */
const heading = (text) => {
  const th = document.createElement('th');
  th.colSpan = 8;
  th.textContent = text;
  return row([th], 'group');
};

/** @param {string} dataset @returns {PublishedRow[]} */
const published = (dataset) => JSON.parse(engine.benchmark_published(dataset));

/** The table for the data set on screen: the published rows, then the user's. */
const render = () => {
  const s = state();
  const dataset = s && s.dataset ? s.dataset : 'ring8';
  const papers = published(dataset);
  $('bench-published').replaceChildren(
    heading(papers.length ? `${dataset}, published (the papers' networks: G 4×400, D 3×200 maxout)` : `${dataset}: no published rows (the papers ran ring8 and grid25)`),
    ...papers.map((p) => row([cell(`${p.method}`, 'label', p.source), cell(p.modes.toFixed(1), 'num'), cell('–', 'num'),
      cell(p.high_quality.toFixed(1), 'num'), cell('–', 'num'), cell('–'), cell('–', 'num'), cell('–', 'num')], 'published', 'bench-published-row')));
  const mine = rows.filter((r) => r.dataset === dataset);
  const body = [heading(`yours: seeds 1 to N of the page's configuration`)];
  for (const r of mine) {
    body.push(row([cell(r.label, 'label', `#${r.link}`), ...r.cells.slice(0, 4).map((c) => cell(c, 'num')), cell(r.cells[4], 'runs'),
      cell(String(r.iterations), 'num'), cell(r.seconds.toFixed(1), 'num')], 'mine', 'bench-row'));
  }
  if (live && live.dataset === dataset) {
    body.push(row([cell(live.label, 'label', `#${live.link}`), cell('…', 'num'), cell('…', 'num'), cell('…', 'num'), cell('…', 'num'),
      cell(live.runs.map((r) => r.cell).join(', ') + ` (${live.runs.length}/${live.of})`, 'runs'), cell(String(live.iterations), 'num'), cell('…', 'num')], 'mine running', 'bench-live'));
  }
  if (body.length === 1) body.push(heading('none yet: press benchmark'));
  const other = rows.length - mine.length;
  if (other) body.push(heading(`${other} more on other data sets (shown with theirs)`));
  $('bench-rows').replaceChildren(...body);
  shownFor = dataset;
};

const setButtons = () => {
  button('bench-start').disabled = !!live || !!refusal;
  setProp(button('bench-start'), 'title', refusal ? `cannot benchmark this data set: ${refusal}`
    : live ? 'a benchmark is running' : `train seeds 1 to N of this configuration (the link's: data set, networks, loss, k, rates, every setting; run A's in compare mode) in the background, and score each on 2,500 samples`);
  button('bench-cancel').disabled = !live;
  setText(button('bench-open'), live ? `benchmark ${Math.min(live.runs.length + 1, live.of)}/${live.of}… ▴` : 'benchmark ▴');
  button('bench-open').classList.toggle('running', !!live);
};

const stop = () => {
  if (worker) { worker.terminate(); worker = null; }
  live = null;
};

/** @param {string} text */
const fail = (text) => { stop(); say(text, 'error'); setButtons(); render(); };

/** @param {MessageEvent<BenchMessage>} ev */
const heard = ({ data }) => {
  if (!live) return;
  if ('run' in data) {
    const r = data.run;
    live.runs.push(r);
    say(`${live.label}: run ${r.run}/${r.of} (seed ${r.result.seed}): ${r.result.diverged ? 'diverged' : `${r.cell} (modes / high quality %)`} in ${secs(r.seconds)}` +
      (r.run < r.of ? `; run ${r.run + 1}/${r.of}…` : ''));
  } else if ('done' in data) {
    const d = data.done;
    rows.push({ ...d, when: new Date().toISOString() });
    keep();
    stop();
    say(`${d.label}: ${d.runs} runs of ${d.iterations} iterations in ${secs(d.seconds)}: modes ${d.cells[0]} of ${d.summary.modes_total}, high quality ${d.cells[2]} %`);
  } else {
    fail(data.error);
    return;
  }
  setButtons();
  render();
};

const start = () => {
  const s = state();
  if (live || !s) return;
  const link = s.hash, runs = input('bench-runs').value, iterations = input('bench-iterations').value;
  const why = engine.benchmark_check(link, runs, iterations);
  if (why) { say(why, 'error'); return; }
  live = { label: engine.benchmark_label(link), dataset: s.dataset || '', link, of: Number(runs), iterations: Number(iterations), runs: [] };
  worker = new Worker('mode-benchmark-worker.js', { type: 'module' });
  worker.onmessage = heard;
  worker.onerror = (e) => fail(`the benchmark stopped: ${e.message || e}`);
  /** @type {BenchRequest} */
  const request = { link, runs, iterations };
  worker.postMessage(request);
  say(`${live.label}: run 1/${runs} of ${iterations} iterations…`);
  setButtons();
  render();
};

/** @param {boolean} on */
const showCard = (on) => {
  $('bench-card').hidden = !on;
  button('bench-open').setAttribute('aria-expanded', String(on));
  if (on) render();
};

/** The table as Markdown, for the clipboard. */
const markdown = () => {
  const dataset = state()?.dataset || '';
  /** @param {(string | number)[]} cells */
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line([`configuration (${dataset})`, 'modes (papers)', 'modes (1%)', 'high quality %', 'reverse KL', 'runs', 'iterations', 's']),
    line(Array(8).fill('---')),
    ...published(dataset).map((p) => line([`${p.method} (${p.source})`, p.modes.toFixed(1), '–', p.high_quality.toFixed(1), '–', '–', '–', '–'])),
    ...rows.filter((r) => r.dataset === dataset).map((r) => line([r.label, ...r.cells, r.iterations, r.seconds.toFixed(1)]))].join('\n') + '\n';
};

export const initBench = () => {
  /** @type {BenchmarkPlan} */
  const plan = JSON.parse(engine.benchmark_settings());
  for (const s of plan.settings) {
    const value = plan[s.key];
    Object.assign(input(`bench-${s.key}`), { min: s.min, max: s.max, step: 1, value, title: `${s.label}: ${s.min} to ${s.max}` });
  }
  rows = stored();
  button('bench-start').addEventListener('click', start);
  button('bench-cancel').addEventListener('click', () => {
    if (!live) return;
    const done = live.runs.length, of = live.of;
    stop();
    say(`cancelled after ${done} of ${of} runs (a benchmark is kept only whole)`);
    setButtons();
    render();
  });
  // The inputs say what is wrong as soon as they are left.
  for (const id of ['bench-runs', 'bench-iterations']) {
    input(id).addEventListener('change', () => {
      const s = state();
      const why = s ? engine.benchmark_check(s.hash, input('bench-runs').value, input('bench-iterations').value) : '';
      if (why) say(why, 'error');
      else if ($('bench-status').classList.contains('error')) say('');
    });
  }
  button('bench-open').addEventListener('click', () => showCard($('bench-card').hidden === true));
  button('bench-close').addEventListener('click', () => showCard(false));
  // The best preset, as every preset: over the defaults, the data and seed kept.
  const preset = engine.mode_cure_preset();
  button('bench-preset').title = `apply the configuration that came closest to the mode-collapse targets: ${preset}, every other setting at its default (the data and the seed stay)`;
  button('bench-preset').addEventListener('click', async () => {
    const changes = await applyPreset(preset);
    if (!changes) { say($('gan-message').textContent || '', 'error'); return; }
    const text = changes.length ? `best preset (the search's closest to the targets): set ${changes.map(([k, v]) => `${k} ${v}`).join(', ')}`
      : `best preset: already set`;
    message(text);
    say(text);
  });
  button('bench-clear').addEventListener('click', () => {
    const dataset = state()?.dataset;
    rows = rows.filter((r) => r.dataset !== dataset);
    keep();
    say(`your rows for ${dataset} cleared`);
    render();
  });
  button('bench-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(markdown());
      say('table copied as Markdown');
    } catch {
      say('the browser refused the clipboard', 'error');
    }
  });
  setButtons();
};

/**
 * Follows the session: a data set without modes disables the button, saying why.
 * @param {State} s
 */
export const syncBench = (s) => {
  if (s.mode !== '2d') return;
  if (s.hash !== refusalOf) {
    refusalOf = s.hash;
    const before = refusal;
    refusal = engine.benchmark_refusal(s.hash);
    if (refusal !== before && !live) say(refusal ? `cannot benchmark: ${refusal}` : '');
    setButtons();
  }
  if (s.dataset !== shownFor && !$('bench-card').hidden) render();
};
