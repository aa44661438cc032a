// @ts-check
// Exports: any chart as PNG or CSV (core::history::Chart::csv), the plane as PNG or as a
// WebM video of the run (the browser's MediaRecorder).
import { chartCanvases, chartData } from './charts.js';
import { state } from './connection.js';
import { button, canvas, download, message } from './dom.js';
import { engine } from './engine.js';

/** The files' common name part: what is training, and how far. */
const stamp = () => {
  const s = state();
  if (!s) return 'step0';
  // A VAE has no loss of the GAN's: its files say what it is.
  const what = s.elbo !== undefined ? s.mode : s.loss;
  return `${s.mode === 'mnist' || s.mode === 'vae-mnist' ? 'mnist' : s.dataset}-${what}-step${s.step}`;
};

/**
 * Saves the canvas as a PNG.
 * @param {HTMLCanvasElement} c
 * @param {string} name
 */
const png = (c, name) => c.toBlob((blob) => { if (blob) download(blob, name); });

export const initExports = () => {
  for (const b of document.querySelectorAll('[data-export]')) {
    if (!(b instanceof HTMLElement)) continue;
    b.addEventListener('click', () => {
      const charts = chartData();
      if (!charts) { message('no chart data yet: press Play', 'error'); return; }
      const i = Number(b.dataset.chart), name = charts.names.split(',')[i];
      if (b.dataset.export === 'png') png(chartCanvases()[i], `gan-playground-${name}-${stamp()}.png`);
      else download(new Blob([engine.chart_csv(name, charts)], { type: 'text/csv' }), `gan-playground-${name}-${stamp()}.csv`);
    });
  }
  const plane = canvas('gan-plane');
  button('plane-png').addEventListener('click', () => png(plane, `gan-playground-plane-${stamp()}.png`));
  /** @type {MediaRecorder | null} */
  let recorder = null;
  const record = button('plane-record');
  record.addEventListener('click', () => {
    if (recorder) { recorder.stop(); return; }
    // WebM where the browser records it (Chromium, Firefox), else MP4 (Safari's engine).
    const kind = typeof MediaRecorder === 'undefined' ? undefined
      : ['video/webm', 'video/mp4'].find((t) => MediaRecorder.isTypeSupported(t));
    if (!kind) { message('this browser cannot record video', 'error'); return; }
    /** @type {Blob[]} */
    const parts = [];
    const name = `gan-playground-plane-${stamp()}.${kind.slice(6)}`;
    try {
      recorder = new MediaRecorder(plane.captureStream(30), { mimeType: kind });
    } catch (e) {
      message(`this browser cannot record the plane (${e})`, 'error');
      return;
    }
    recorder.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
    recorder.onstop = () => {
      recorder = null;
      record.textContent = '● record';
      record.classList.remove('recording');
      download(new Blob(parts, { type: kind }), name);
    };
    recorder.start(500);
    record.textContent = '■ stop';
    record.classList.add('recording');
    message('recording the plane: press ■ stop to save the video');
  });
};
