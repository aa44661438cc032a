// @ts-check
// The three charts (src/charts.rs through plotters-canvas): drawn at their size on screen
// (plotters draws in canvas pixels; in projector mode at 1/1.35 of it, so that their type
// is larger), drawn again from the last data when their boxes change, each with its hover
// help.
import { $, canvas, setProp } from './dom.js';
import { engine } from './engine.js';

/** @typedef {import('./protocol.js').Charts} Charts */
/** @typedef {import('./protocol.js').State} State */

/** @type {Charts | null} */
let last = null;
/** @type {string[]} */
let words = [];

/** Each chart's last values in words (core's `Chart::describe`), as last drawn. */
export const chartWords = () => words;

export const chartCanvases = () => [canvas('chart-losses'), canvas('chart-divergences'), canvas('chart-modes')];

/** The data the charts were last drawn from (null before the first). */
export const chartData = () => last;

/**
 * Draws the charts from `charts`, and keeps it for the exports and a redraw.
 * @param {Charts} charts
 */
export const paintCharts = (charts) => {
  last = charts;
  const canvases = chartCanvases();
  engine.paint_charts(canvases, charts);
  words = charts.names.split(',').map((name) => engine.chart_words(name, charts));
  charts.names.split(',').forEach((name, i) => {
    setProp(canvases[i], 'title', engine.chart_help(name));
    if (canvases[i].getAttribute('aria-label') !== words[i]) canvases[i].setAttribute('aria-label', words[i]);
  });
};

/** What the charts were last drawn from, counted (the end-to-end tests read it). */
export const chartsSummary = () => {
  if (!last) return null;
  const row = engine.history_row();
  return {
    names: last.names, points: last.rows.length / row, losses: last.losses.length / 3, markers: JSON.parse(last.markers),
    points_b: last.rows_b ? last.rows_b.length / row : 0, losses_b: last.losses_b ? last.losses_b.length / 3 : 0,
  };
};

const fit = () => {
  const scale = document.body.classList.contains('projector') ? 1 / 1.35 : 1;
  for (const c of chartCanvases()) {
    const w = Math.round(c.clientWidth * scale), h = Math.round(c.clientHeight * scale);
    if (w > 0 && h > 0 && (c.width !== w || c.height !== h)) { c.width = w; c.height = h; }
  }
  if (last) engine.paint_charts(chartCanvases(), last);
};

/**
 * Data without modes (spiral, moons, line, more than 32 points of your own): no modes
 * chart, and a note says why.
 * @param {State} s
 */
export const syncCharts = (s) => {
  const noModes = s.mode === '2d' && s.has_modes === false;
  const figure = canvas('chart-modes').closest('figure');
  if (figure instanceof HTMLElement) figure.hidden = noModes;
  $('no-modes').hidden = !noModes;
};

export const initCharts = () => {
  const resized = new ResizeObserver(fit);
  for (const c of chartCanvases()) resized.observe(c);
};
