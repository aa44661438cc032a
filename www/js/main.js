// @ts-check
// The page's thread: it paints what the training worker (worker.js) posts and sends it
// the controls' changes. All maths and validation are in Rust; the controls take their
// limits and menus from the engine's setting tables. This module wires the others: it
// starts them, and passes each state the worker posts to every part that shows it.
import { syncAlt } from './alt.js';
import { benchmarks, initBench, syncBench } from './mode-benchmark.js';
import { chartsSummary, initCharts, syncCharts } from './charts.js';
import { connect, settled, state } from './connection.js';
import { buildControls, initControls, sessionSettings, syncCompare, syncControls, syncView } from './controls.js';
import { initDisplay } from './display.js';
import { initExports } from './exports.js';
import { initLessons, syncLesson } from './lessons.js';
import { framesPerSecond, loopCounts, startPainting } from './paint.js';
import { syncPlanes } from './planes.js';
import { initPoints, syncPoints } from './points.js';
import { initPresets } from './presets.js';
import { initSessions, syncLink, syncSession } from './sessions.js';
import { syncStrip } from './strip.js';
import { initThumbs, syncThumbs } from './thumbs.js';
import { initTransport, syncTransport } from './transport.js';
import { initWeights, syncWeights } from './weights.js';

/** @typedef {import('./protocol.js').State} State */

/**
 * Every part of the page that follows the session, in an order where each reads what the
 * ones before it set (the strip reads the slow-motion box the view sets).
 * @param {State} s
 */
const sync = (s) => {
  syncSession(s);
  syncControls(s);
  syncTransport(s);
  syncWeights(s);
  syncBench(s);
  syncPoints(s);
  syncCharts(s);
  syncView(s);
  syncStrip(s);
  syncLink(s);
  syncPlanes(s);
  syncCompare(s);
  syncThumbs(s);
  syncLesson(s);
  syncAlt(s);
};

connect(sync);
initDisplay();
initLessons();
// A session's state can arrive before its settings are built (the answer to `open`
// carries both): once built, the page shows that state again with them.
initSessions((settings, mode) => {
  buildControls(settings, mode);
  const s = state();
  if (s) sync(s);
});
initControls();
initThumbs();
initPresets();
initTransport();
initWeights();
initPoints();
initExports();
initCharts();
initBench();

/** @type {PageApi} */
window.ganPlayground = {
  state: () => {
    const s = state();
    const page = { fps: framesPerSecond(), ...loopCounts() };
    return s ? { ...s, ...page } : { ...page, running: false };
  },
  settled,
  charts: chartsSummary,
  benchmarks,
  settings: () => sessionSettings.get(state()?.mode ?? '') ?? [],
};

startPainting();
