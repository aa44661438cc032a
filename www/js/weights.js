// @ts-check
// The networks' weights as safetensors files: saved from the session, loaded from the file
// picker or a file dropped on the digits, and the pretrained starting points
// (www/pretrained, made by scripts/pretrain.sh with the CLI: one per 2D preset and for the
// MNIST mlp-small networks, listed in a manifest).
import { act, send, state } from './connection.js';
import { button, download, input, message, query } from './dom.js';
import { engine } from './engine.js';

/** @typedef {import('./protocol.js').State} State */

/**
 * A manifest entry: the file, what it was trained on, and what the CLI measured.
 * @typedef {object} Pretrained
 * @property {string} file
 * @property {string} data  a data set, or `mnist`
 * @property {string} networks
 * @property {string} command
 * @property {Record<string, number>} metrics
 */

/** @type {Pretrained[]} */
let pretrained = [];

/** @param {State} s */
const pretrainedFor = (s) => (s.mode === '2d' || s.mode === 'mnist') && pretrained.find((e) => (s.mode === 'mnist'
  ? e.data === 'mnist' && e.networks === s.model + (s.conditional ? ', conditional' : '')
  : e.data === s.dataset));

/** @param {Pretrained} e */
const describe = (e) => {
  const fmt = engine.format_number;
  return `${e.command} (${e.networks})` + (e.data === 'mnist'
    ? `: Fréchet ${fmt(e.metrics.frechet, 3)}, ${e.metrics.classes_covered}/10 classes`
    : `: W1 ${fmt(e.metrics.w1, 3)}, JS ${fmt(e.metrics.js, 2)}` +
      (e.metrics.modes_total ? `, ${e.metrics.modes_covered}/${e.metrics.modes_total} modes` : ''));
};

/**
 * The pretrained button offers the entry for the data set (or network) on screen.
 * @param {State} s
 */
export const syncWeights = (s) => {
  const e = pretrainedFor(s);
  button('load-pretrained').disabled = !e;
  button('load-pretrained').title = e ? `start from weights the CLI trained: ${describe(e)}`
    : 'no pretrained weights for this data set or network (2D presets and MNIST mlp-small have them)';
};

/** @param {File} file */
const loadFile = async (file) => {
  const bytes = await file.arrayBuffer();
  await act('load', { bytes, name: file.name }, [bytes]);
};

export const initWeights = () => {
  fetch('pretrained/manifest.json').then((r) => (r.ok ? r.json() : { entries: [] }))
    .then((m) => {
      pretrained = m.entries;
      const s = state();
      if (s) syncWeights(s);
    }).catch(() => {});
  button('save-weights').addEventListener('click', async () => {
    const r = await send('save');
    if (!r.ok || !r.bytes || !r.state) { message(r.note || '', 'error'); return; }
    const what = r.state.mode === 'mnist' ? 'mnist' : r.state.dataset;
    download(new Blob([r.bytes], { type: 'application/octet-stream' }), `gan-playground-${what}-step${r.state.step}.safetensors`);
  });
  button('load-pretrained').addEventListener('click', async () => {
    const s = state();
    const e = s && pretrainedFor(s);
    if (!e) return;
    const r = await fetch(`pretrained/${e.file}`);
    if (!r.ok) { message(`pretrained/${e.file}: HTTP ${r.status}`, 'error'); return; }
    const bytes = await r.arrayBuffer();
    const out = await act('load', { bytes, name: `pretrained ${e.file}` }, [bytes]);
    if (out.ok) message(`pretrained ${e.file}, trained by ${describe(e)}; training goes on from it`);
  });
  const picker = input('load-weights');
  picker.addEventListener('change', async () => {
    if (picker.files && picker.files.length) await loadFile(picker.files[0]);
    picker.value = '';
  });
  const view = query('.digit-view');
  view.addEventListener('dragover', (ev) => { ev.preventDefault(); view.classList.add('dragging'); });
  view.addEventListener('dragleave', () => view.classList.remove('dragging'));
  view.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    view.classList.remove('dragging');
    if (ev.dataTransfer && ev.dataTransfer.files.length) await loadFile(ev.dataTransfer.files[0]);
  });
};
