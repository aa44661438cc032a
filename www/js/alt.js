// @ts-check
// The pictures' text alternatives, for a screen reader: what the plane and the digits show,
// with the numbers the readout has, rewritten only when they change (the charts say their
// last values themselves: charts.js).
import { canvas } from './dom.js';
import { engine } from './engine.js';

/** @typedef {import('./protocol.js').State} State */

/** @param {number | null | undefined} v */
const fmt = (v) => (v === null || v === undefined ? 'not measured yet' : engine.format_number(Number(v), 3));

/**
 * @param {string} id
 * @param {string} text
 */
const label = (id, text) => {
  const c = canvas(id);
  if (c.getAttribute('aria-label') !== text) c.setAttribute('aria-label', text);
};

/** @param {State} s */
export const syncAlt = (s) => {
  const at = s.metrics_step === null ? 'before the first measurement' : `at step ${s.metrics_step}`;
  if (s.mode === 'mnist' || s.mode === 'vae-mnist') {
    const q = `classes covered ${s.classes_covered ?? '–'} of 10, Fréchet distance ${fmt(s.frechet)}, ${at}`;
    label('digit-grid', `100 digits the ${s.mode === 'mnist' ? 'generator' : 'VAE\'s decoder'} draws from fixed noise; ${q}`);
    return;
  }
  const modes = s.has_modes ? `modes covered ${s.modes_covered ?? '–'} of ${s.modes_total ?? '–'}` : 'no modes defined';
  const title = Array.isArray(s.planes) ? s.planes[0] : 'the plane';
  label('gan-plane', `${title}: real data${s.dataset ? ` (${s.dataset})` : ''} and the generator's samples at step ${s.step}; ` +
    `JS divergence ${fmt(s.js)}, KL ${fmt(s.kl)}, W1 ${fmt(s.w1)}, ${modes}, ${at}`);
  if (Array.isArray(s.planes)) label('gan-plane-b', `${s.planes[1]}, at step ${s.step}`);
  else if (s.compare && s.b) label('gan-plane-b', `run B's plane at step ${s.b.step}; JS ${fmt(s.b.js)}, KL ${fmt(s.b.kl)}, W1 ${fmt(s.b.w1)}`);
};
