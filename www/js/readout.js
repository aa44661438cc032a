// @ts-check
// The readout beside the charts and under the plane: the speed, the step counters, the
// losses and the session's metrics, each name with its definition as hover text, and the
// mode coverage (both runs' in compare mode).
import { chartWords } from './charts.js';
import { $, setHTML, setProp, setText } from './dom.js';
import { engine, sessionOf } from './engine.js';

/** @typedef {import('./protocol.js').State} State */
/** @typedef {import('./protocol.js').RunState} RunState */

/**
 * Numbers as people read them (core::format): 6.6×10²⁶, not 6.646e+26; '–' for none.
 * @param {number | null | undefined} v
 */
const fmt = (v, d = 3) => (v === null || v === undefined) ? '–' : engine.format_number(Number(v), d);

// Hover text of the readout's numbers.
const tip = Object.fromEntries(Object.entries({
  dloss: 'the discriminator\'s loss at the last step (formula D above the plane)',
  gloss: 'the generator\'s loss at the last step (formula G above the plane)',
  js: 'Jensen–Shannon divergence between p_data and p_g, from 1,000 samples of each on a grid: 0 when equal, at most log 2 = 0.693',
  kl: 'KL(p_data ‖ p_g): large where the data has mass that G misses (dropped modes)',
  w1: 'Wasserstein-1 (earth mover\'s) distance between 200 real and 200 fake samples, exact',
  modes: 'modes of the data set holding at least 1% of the fake samples within 3 standard deviations',
  hq: 'high quality (HQ): the share of the fake samples within 3 standard deviations of their nearest mode',
  classes: 'digit classes the quality classifier gives to at least 1% of the generated digits',
  classkl: 'KL of the generated digits\' class histogram from uniform: 0 when every class is equally common',
  frechet: 'Fréchet distance between real and generated digits in the quality classifier\'s features: lower is better',
  asked: 'generated digits the classifier reads as the digit G was asked for',
}).map(([k, v]) => [k, `title="${v}"`]));

/**
 * Which modes hold how much: one bar per mode, the data set's order (ring8 from angle 0
 * anticlockwise; grid25 row by row), a full bar being a mode's fair share of the samples
 * (or the fullest mode, if more): a collapsed run shows one tall bar, a run of stray
 * samples only stubs. An empty mode is a gap on the baseline.
 * @param {number[] | null | undefined} counts
 * @param {number | null | undefined} hq
 */
const histogram = (counts, hq) => {
  if (!counts || !counts.length) return '';
  const sum = counts.reduce((a, c) => a + c, 0);
  const fair = hq && hq > 0 ? sum / hq / counts.length : 0;
  const top = Math.max(...counts, fair, 1);
  const bars = counts.map((c) => `<i style="height:${c === 0 ? 0 : Math.max(8, Math.round(100 * c / top))}%"></i>`).join('');
  return ` <span class="mode-bars${counts.length > 12 ? ' many' : ''}" data-testid="mode-bars" title="high-quality samples per mode, in the data set's order: ${counts.join(', ')} (a gap: none; a full bar: a fair share of the samples)">${bars}</span>`;
};

/**
 * A run's mode coverage: modes covered, the histogram, the high-quality share.
 * @param {RunState} r
 */
const modeLine = (r) => (r.has_modes
  ? `<b ${tip.modes}>modes</b> ${r.modes_covered ?? '–'}/${r.modes_total ?? '–'}${histogram(r.mode_counts, r.high_quality)} · ` +
    `<b ${tip.hq}>HQ</b> ${r.high_quality === null || r.high_quality === undefined ? '–' : (100 * r.high_quality).toFixed(0) + '%'}`
  : '<b>modes</b> none defined for this data set');

// Which module trains (worker.js): threads where the page is cross-origin isolated, fused
// multiply-add where the browser has relaxed SIMD.
/** @param {State} s */
const threadsNote = (s) => (s.threads > 1 ? ` · ${s.threads}\u00a0threads` : '') + (s.build === 'relaxed SIMD' ? ' · FMA' : '');

/**
 * The step counter's own rate on the worker's clock (core::session::speed), whatever the
 * speed or slow motion, and the page's frames per second while it trains (paused, the page
 * draws nothing until something changes).
 * @param {State} s
 * @param {number} fps
 */
const speed = (s, fps) => (s.error ? 'stopped: diverged'
  : s.running
    ? `${engine.format_number(s.steps_per_s, 3)} steps/s${(s.gflops || 0) >= 0.005 ? ` · ${(s.gflops || 0).toFixed(2)} GFLOP/s` : ''} · ${fps.toFixed(0)} frames/s${threadsNote(s)}`
    : 'paused');

/** @param {string} text */
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A VAE's ELBO and its two terms (it has no D or G loss).
 * @param {import('./protocol.js').RunState} s
 */
const elbo = (s) => `<b title="the evidence lower bound the VAE maximises: E_q log p(x|z) − KL(q(z|x) ‖ N(0, I)), nats per data point">ELBO</b> ${fmt(s.elbo)} ` +
  `(reconstruction ${fmt(s.elbo_recon)}, KL ${fmt(s.elbo_kl)})`;

/**
 * The counters, the losses and the metrics (MNIST's or the plane's), and run B's.
 * @param {State} s
 */
const status = (s) => {
  const mnist = s.mode === 'mnist' || s.mode === 'vae-mnist';
  const at = s.metrics_step === null ? '' : ` <span title="metrics are recomputed every ${mnist ? 2 : 1} s">(at step ${s.metrics_step})</span>`;
  const losses = s.error ? `<b ${tip.dloss}>D loss</b> diverged · <b ${tip.gloss}>G loss</b> diverged<br>`
    : s.elbo !== undefined ? elbo(s) + '<br>'
    : `<b ${tip.dloss}>D loss</b> ${fmt(s.d_loss)} · <b ${tip.gloss}>G loss</b> ${fmt(s.g_loss)}<br>`;
  const own = sessionOf(s.mode)?.strip;
  const metrics = own
    // A game's own measures: its charts' last values in words, but the losses above.
    ? chartWords().filter((w) => !w.startsWith('losses')).map(escape).join('<br>')
    : mnist
    ? `<b ${tip.classes}>classes</b> ${s.classes_covered ?? '–'}/10 · <b ${tip.classkl}>class KL</b> ${fmt(s.class_kl)} · <b ${tip.frechet}>Fréchet</b> ${fmt(s.frechet, 3)}` +
      (s.conditional ? ` · <b ${tip.asked}>asked-for digit</b> ${s.condition_accuracy === null || s.condition_accuracy === undefined ? '–' : (100 * s.condition_accuracy).toFixed(0) + '%'}` : '')
    : `<b ${tip.js}>JS</b> ${fmt(s.js)} · <b ${tip.kl}>KL</b> ${fmt(s.kl)} · <b ${tip.w1}>W1</b> ${fmt(s.w1)}`;
  const b = s.b;
  const runB = s.compare && b ? `<div class="run-b" data-testid="status-b"><b title="${b.elbo !== undefined ? 'run B: a VAE with run A\'s data, seed and network sizes' : 'run B: same data, seed and initial weights as run A, its own live settings'}">run B</b> step ${b.step} · ` +
    (b.error ? 'diverged' : b.elbo !== undefined ? `VAE · ${elbo(b)}` : `D ${fmt(b.d_loss)} · G ${fmt(b.g_loss)}`) +
    ` · <b ${tip.js}>JS</b> ${fmt(b.js)} · <b ${tip.kl}>KL</b> ${fmt(b.kl)} · <b ${tip.w1}>W1</b> ${fmt(b.w1)}` + '</div>' : '';
  return `<b title="iterations completed: each is k D steps and one G step">step</b> ${s.step} (D steps ${s.d_steps}, G steps ${s.g_steps})<br>` +
    losses + metrics + at + runB;
};

/**
 * Shows `s`, at the page's `fps` (each part rewritten only when it changed).
 * @param {State} s
 * @param {number} fps
 */
export const showReadout = (s, fps) => {
  setText($('speedo'), speed(s, fps));
  setHTML($('gan-status'), status(s));
  if (!sessionOf(s.mode)?.plane) return;
  if (s.heat_scale) {
    const [lo, hi, half, title] = s.heat_scale;
    setText($('heat-lo'), lo);
    setText($('heat-hi'), hi);
    setText($('heat-half'), half);
    setProp($('heat-scale'), 'title', title);
  }
  setHTML($('mode-live'), s.compare && s.b
    ? `<span class="run-modes"><b>A</b> ${modeLine(s)}</span> <span class="run-modes"><b>B</b> ${modeLine(s.b)}</span>`
    : modeLine(s));
};
