// @ts-check
// The training side of the page, in a Web Worker: it owns the sessions, trains in short
// slices between which it answers the page's commands, and posts what to paint as
// transferable typed arrays. All maths and validation are in Rust (src/web/worker.rs over
// src/core/session); this file only schedules. The messages are declared in
// js/protocol.js; the sessions and layers come from the engine's catalog.

/** @typedef {import('./js/protocol.js').Command} Command */
/** @typedef {import('./js/protocol.js').CommandArgs} CommandArgs */
/** @typedef {import('./js/protocol.js').CommandName} CommandName */
/** @typedef {import('./js/protocol.js').Reply} Reply */
/** @typedef {import('./js/protocol.js').State} State */
/** @typedef {import('./js/protocol.js').FrameRequest} FrameRequest */
/** @typedef {import('./js/protocol.js').WorkerMessage} WorkerMessage */
/** @typedef {typeof import('gan-engine')} Engine */
/** @typedef {import('./js/protocol.js').EngineModule} EngineModule */
import { BUILDS, candidates, compile, poolSize, start } from './js/modules.js';

// The engine: the module the page compiled (js/engine.js picks the best build this browser
// takes, js/modules.js), posted as the first message, so the worker downloads nothing.
// The threaded build starts its pool here; where it cannot, the worker falls back to the
// next build (a second download, said on the page). `build` and `threads` say which runs.
let threads = 1, build = 'simd128', buildNote = '';
/** @type {(m: EngineModule) => void} */
let given = () => {};
/** @type {Promise<EngineModule>} */
const moduleGiven = new Promise((resolve) => { given = resolve; });
/**
 * @param {EngineModule} first
 * @returns {Promise<Engine>}
 */
const loadEngine = async (first) => {
  const notes = [...first.notes];
  // Where the given build fails, the ones after it in the page's order of preference.
  const order = candidates().builds;
  const builds = [BUILDS[first.key], ...order.slice(order.findIndex((b) => b.key === first.key) + 1)];
  for (const [i, b] of builds.entries()) {
    try {
      const m = /** @type {Engine} */ (await start(b, i === 0 ? first.module : await compile(b)));
      if (b.threaded) {
        await m.initThreadPool(poolSize());
        threads = m.use_thread_pool(poolSize());
      }
      build = b.build;
      buildNote = notes.join('; ');
      return m;
    } catch (e) {
      notes.push(`the ${b.key} build could not start in the worker (${e})`);
    }
  }
  throw notes.join('; ');
};
/** @type {Engine} */
let engine;
/** @type {EngineCatalog} */
let catalog;
const ready = moduleGiven.then(loadEngine).then((m) => {
  engine = m;
  catalog = JSON.parse(m.catalog());
});

/** @type {Map<string, WorkerSession>} the sessions opened, by catalog key */
const sessions = new Map();
/** @type {WorkerSession | null} */
let active = null;
// How the page wants it run, from the session's view (core::session::view): per-slice
// training budget (ms), the pause between slices, slow motion, the layers to paint.
let budget = 12, gap = 0, slow = false, lastSlow = 0, lastMetrics = 0;
/** @type {FrameRequest} */
let layers = {};
let frameWanted = false, fresh = true, chartsSent = /** @type {number | null} */ (-1), chartsAt = 0;
let phase = '';

/** @param {string} url */
const fetchBytes = async (url) => {
  const r = await fetch(url);
  if (!r.ok) throw `${url}: HTTP ${r.status} (run bash scripts/setup.sh)`;
  return new Uint8Array(await r.arrayBuffer());
};

/**
 * A new session of the catalog's `entry`, from `link` (the page's link when it names this
 * session, else none: the session's own defaults).
 * @param {CatalogSession} entry
 * @param {string} link
 * @returns {Promise<WorkerSession>}
 */
const createSession = async (entry, link) => {
  // The page's link when it names this session, else the session's own (its defaults).
  const own = engine.link_session(link) === entry.key ? link : entry.link;
  if (!entry.digits) return engine.WorkerSession.open(own, undefined, undefined);
  const [digits, clf] = await Promise.all([fetchBytes('digits/page.digits'), fetchBytes('digits/classifier.safetensors')]);
  return engine.WorkerSession.open(own, digits, clf);
};

/**
 * @param {string} mode
 * @param {string} link
 * @param {boolean} [anew]  a new session from `link`, dropping the one open
 */
const openMode = async (mode, link, anew = false) => {
  let session = sessions.get(mode);
  if (session !== undefined && anew) {
    if (session === active) active = null;
    sessions.delete(mode);
    session.free();
    session = undefined;
  }
  if (session === undefined) {
    const entry = catalog.sessions.find((s) => s.key === mode);
    if (!entry) throw `no session '${mode}' (expected ${catalog.sessions.map((s) => s.key).join(', ')})`;
    session = await createSession(entry, link);
    sessions.set(mode, session);
  }
  if (active) active.set_running(false);
  active = session;
  fresh = true;
  chartsSent = -1;
  phase = '';
  // A build that failed to start is said once, with the first session's notes.
  const notes = [active.notes(), buildNote].filter(Boolean).join('\n');
  buildNote = '';
  return notes;
};

/** The session the commands act on; the page sends none but `open` before one is open. */
const session = () => {
  if (active === null) throw 'the session is not open yet';
  return active;
};

/**
 * What a command answers: a note (a message to show), the weights' bytes, or nothing; it
 * throws the reason it is refused.
 * @typedef {string | void | {bytes: Uint8Array<ArrayBuffer>} | Promise<string>} Answer
 */
/** @type {{[C in CommandName]: (args: CommandArgs[C]) => Answer}} */
const commands = {
  open(args) { return openMode(args.mode, args.link, args.fresh); },
  run({ running }) { session().set_running(running); lastSlow = 0; },
  set({ keys, value }) { chartsSent = -1; return keys.map((k) => session().set(k, value)).filter(Boolean).join('\n'); },
  step({ which }) { session().step_once(which); chartsSent = -1; },
  reset() { session().reset(); chartsSent = -1; },
  point({ fx, fy }) {
    const restarted = session().add_point(fx, fy);
    chartsSent = -1;
    return restarted ? 'your points are the data now: training restarted; each next point joins live' : '';
  },
  clear() { session().clear_points(); },
  points({ bytes, name }) { const note = session().load_points(new Uint8Array(bytes), name); chartsSent = -1; return note; },
  digit({ digit }) { session().set_digit(digit); },
  load({ bytes, name }) { const note = session().load_weights(new Uint8Array(bytes), name); chartsSent = -1; return note; },
  save() { return { bytes: session().save_weights() }; },
  frame() { frameWanted = true; },
};

/** @param {State['view']} view */
const applyView = (view) => {
  budget = view.budget_ms;
  gap = budget >= 12 ? 0 : 16 - budget;
  if (view.slowmo !== slow) { slow = view.slowmo; phase = ''; lastSlow = 0; }
  const on = new Set(view.layers.split('.'));
  layers = Object.fromEntries(catalog.layers.map((l) => [l, on.has(l)]));
};
/** @returns {State} */
const stateOf = () => {
  const s = JSON.parse(session().state());
  applyView(s.view);
  return { ...s, phase, threads, build };
};

/**
 * Posts to the page, in the protocol's shapes.
 * @param {WorkerMessage} message
 * @param {Transferable[]} [transfer]
 */
const post = (message, transfer = []) => postMessage(message, transfer);

// Commands run one after another, in the order sent: a Play clicked while the session is
// still opening (the module's start and the MNIST digits take a moment) waits for it
// instead of finding no session.
let queue = Promise.resolve();
/** @param {MessageEvent<Command | {engine: EngineModule}>} ev */
onmessage = ({ data }) => {
  if ('engine' in data) given(data.engine);
  else queue = queue.then(() => handle(data)).catch(() => {});
};
/** @param {Command} data */
const handle = async (data) => {
  const { id, cmd, args } = data;
  /** @type {Reply} */
  let reply;
  try {
    await ready;
    if (cmd !== 'open' && active === null) throw 'the session is not open yet';
    // Each command's handler takes its own arguments; `data` pairs them.
    const run = /** @type {(a: object) => Answer} */ (commands[cmd]);
    const out = await run(args || {});
    if (out && typeof out === 'object') {
      const bytes = out.bytes;
      post({ id, ok: true, bytes, state: stateOf() }, [bytes.buffer]);
      return;
    }
    reply = { id, ok: true, note: typeof out === 'string' ? out : '' };
  } catch (e) {
    reply = { id, ok: false, note: String(e) };
  }
  if (cmd === 'open') reply.settings = active ? JSON.parse(active.settings()) : [];
  if (active) reply.state = stateOf();
  post(reply);
  schedule();
};

// A frame: the layers asked for, the state, and the charts when a metric was added.
const sendFrame = () => {
  const s = session();
  frameWanted = false;
  const frame = s.frame({ ...layers, fresh });
  fresh = false;
  /** @type {Transferable[]} */
  const transfer = [...Object.values(frame.floats).map((a) => a.buffer),
                    ...Object.values(frame.images).map((i) => i.grey.buffer),
                    ...(frame.b ? Object.values(frame.b.floats).map((a) => a.buffer) : [])];
  const state = stateOf();
  // The charts: when a metric was added, and twice a second while the losses grow.
  const now = performance.now();
  if (state.metrics_step !== chartsSent || (state.running && now - chartsAt >= 500)) {
    chartsSent = state.metrics_step;
    chartsAt = now;
    frame.charts = { names: s.charts(), rows: s.history(), losses: s.losses(), markers: s.markers() };
    transfer.push(frame.charts.rows.buffer, frame.charts.losses.buffer);
    // Compare mode: run B's history and loss means, drawn dotted over run A's.
    const rowsB = s.history_b(), lossesB = s.losses_b();
    if (rowsB && lossesB) { frame.charts.rows_b = rowsB; frame.charts.losses_b = lossesB; transfer.push(rowsB.buffer, lossesB.buffer); }
  }
  post({ frame, state }, transfer);
};

// One slice does one thing: a frame the page asked for (at most every other slice, so
// that training is never starved), else the metrics when due, else training (one
// slow-motion phase, or phases for the slice's budget). Messages are taken
// between slices, so a command waits for at most one of these; a model whose single
// phase is longer than a slice trains one phase per slice.
// While training, frames take at most a fifth of the worker's time: the next waits for
// four times what the last one took (a 2D frame, a millisecond or two, still goes every
// other slice; the DCGAN's grid of 100 digits, a forward pass of G, no longer halves its
// training).
let framed = false, frameEnd = 0, frameCost = 0;
// The next slice: when it is due, and its timer (a slice due now goes through a message
// channel, which a browser does not clamp as it does short timers). A sooner slice replaces
// a later one: a frame asked for while the worker sleeps until the next metrics is painted
// at once, not when the metrics fall due.
let dueAt = Infinity, timer = 0;
const channel = new MessageChannel();
const run = () => { dueAt = Infinity; slice(); };
channel.port1.onmessage = () => { if (dueAt === 0) run(); };
const schedule = (delay = 0) => {
  const due = delay > 0 ? performance.now() + delay : 0;
  if (due >= dueAt) return;
  clearTimeout(timer);
  dueAt = due;
  if (delay > 0) timer = setTimeout(run, delay);
  else channel.port2.postMessage(0);
};
const slice = () => {
  if (active === null) return;
  const now = performance.now();
  let running = false;
  try {
    active.tick();
    running = active.running();
    if (frameWanted && !framed && !(running && now - frameEnd < 4 * frameCost)) {
      sendFrame();
      frameEnd = performance.now();
      frameCost = frameEnd - now;
      framed = true;
    } else {
      framed = false;
      if (now - lastMetrics >= active.metrics_every_ms()) {
        lastMetrics = now;
        active.update_metrics();
        // Paused, the page asks for frames only when told something changed.
        if (!active.running()) {
          const state = stateOf();
          if (state.metrics_step !== chartsSent) post({ state });
        }
      } else if (running && slow) {
        if (now - lastSlow >= 800) {
          lastSlow = now;
          phase = active.slow_step();
        }
      } else if (running) {
        phase = '';
        active.train_for(budget);
      }
    }
  } catch (e) {
    post({ error: String(e), state: stateOf() });
  }
  // Keep slicing while running; when paused, wake only for the page's messages, for a
  // frame still owed (a frame asked for during a slice that alternated to metrics: the
  // page asks for no other until it has it), and for metrics still to measure (after a
  // step, a restart or new weights), when they are due; else sleep.
  if (running) schedule(slow ? 50 : gap);
  else if (frameWanted) schedule(0);
  else if (active.metrics_pending()) schedule(Math.max(0, lastMetrics + active.metrics_every_ms() - performance.now()));
};
