// @ts-check
// The settings' controls: each names its link key(s) in `data-key` and takes its limits,
// menu and hover text from the engine's setting table; its value follows the session; a
// change is sent as it is and the engine validates it. Also the view's controls (the
// plane's layers, slow motion), compare mode's switch and the digit picker.
import { act, answered, state } from './connection.js';
import { $, input, onChoice, select, stillChoosing } from './dom.js';
import { isDrawing, startDrawing, stopDrawing } from './points.js';
import { inMode } from './sessions.js';
import { sessionOf } from './engine.js';

/** @typedef {import('./protocol.js').SettingInfo} SettingInfo */
/** @typedef {import('./protocol.js').State} State */
/** @typedef {HTMLInputElement | HTMLSelectElement} Control */

/** Every setting control (an input or a menu with `data-key`). */
const controls = () => /** @type {Control[]} */ ([...document.querySelectorAll('[data-key]')]);
/** The plane's layer switches (`data-layer`: a name of the catalog's layers). */
const layerBoxes = () => /** @type {HTMLInputElement[]} */ ([...document.querySelectorAll('[data-layer]')]);
/** The control's first key (`optd,optg`: one control for two settings). */
const keyOf = (/** @type {Control} */ el) => (el.dataset.key || '').split(',')[0];

// Each control is built once, from the first session that shows it.
/** @type {Set<Control>} */
const built = new Set();
/** @type {Map<string, HTMLLabelElement>} the controls made for settings the markup lacks, by key */
const made = new Map();
/** The settings of each session opened, by its key. */
export const sessionSettings = /** @type {Map<string, SettingInfo[]>} */ (new Map());
/** Every setting key of the sessions opened. */
const knownKeys = new Set();

/**
 * Builds the controls of `settings`, the settings of the session `mode`: number limits,
 * menus and hover text come from the engine. A setting that no element of the markup
 * names gets a control of its own under "more settings", so a row added to a setting
 * table reaches the page with no edit here or in the markup.
 * @param {SettingInfo[]} settings
 * @param {string} mode
 */
export const buildControls = (settings, mode) => {
  sessionSettings.set(mode, settings);
  for (const s of settings) knownKeys.add(s.key);
  const s0 = state();
  for (const s of settings) {
    // A control may set several keys (`optd,optg`: one optimizer for both players).
    const names = (/** @type {Control} */ el) => (el.dataset.key || '').split(',').map((k) => k.replace(/^b\./, ''));
    if (s.kind !== 'points' && !controls().some((el) => names(el).includes(s.key) && shownIn(el, mode))) {
      const mine = made.get(s.key);
      if (mine) mine.dataset.mode = `${mine.dataset.mode} ${mode}`;
      else makeControl(s, mode);
    }
    for (const el of controls()) {
      if (keyOf(el).replace(/^b\./, '') !== s.key) continue;
      const own = el.closest('[data-mode]');
      if (own instanceof HTMLElement && s0 && !inMode(own, s0.mode) && !made.has(s.key)) continue;
      if (built.has(el)) continue;
      built.add(el);
      shape(el, s);
    }
  }
};

/**
 * Whether a control shows in the session `mode` (it is in no session's box, or in one of
 * `mode`'s).
 * @param {Control} el
 * @param {string} mode
 */
const shownIn = (el, mode) => {
  const own = el.closest('[data-mode]');
  return !(own instanceof HTMLElement) || inMode(own, mode);
};

/**
 * A control's limits, menu and hover text from its setting.
 * @param {Control} el
 * @param {SettingInfo} s
 */
const shape = (el, s) => {
  if (el instanceof HTMLInputElement && (s.kind === 'int' || s.kind === 'float' || s.kind === 'seed')) {
    if (s.min !== null) el.min = String(s.min);
    if (s.max !== null) el.max = String(s.max);
    el.step = s.kind === 'float' ? 'any' : '1';
  } else if (el instanceof HTMLSelectElement && s.kind === 'choice' && s.key === 'loss') {
    lossMenu(el, s.options);
  } else if (el instanceof HTMLSelectElement && s.kind === 'choice') {
    el.replaceChildren(...s.options.map(([v, label]) => new Option(label, v)));
  }
  const limits = s.min !== null && s.max !== null ? ` (${s.min} to ${s.max})` : '';
  el.title = `${keyOf(el).startsWith('b.') ? 'run B\'s ' : ''}${s.label}${limits}${s.restarts ? '; restarts training' : '; applies live'}`;
};

/**
 * A control for a setting the markup has none for, in the "more settings" box, shown in
 * the sessions that have the setting: a number box, or a menu (off/on for a flag).
 * @param {SettingInfo} s
 * @param {string} mode
 */
const makeControl = (s, mode) => {
  /** @type {Control} */
  let el;
  if (s.kind === 'choice' || s.kind === 'flag') {
    el = document.createElement('select');
    if (s.kind === 'flag') el.append(new Option('off', '0'), new Option('on', '1'));
  } else {
    el = document.createElement('input');
    el.type = 'number';
  }
  el.dataset.key = s.key;
  el.dataset.testid = `setting-${s.key}`;
  const label = document.createElement('label');
  label.dataset.mode = mode;
  label.append(`${s.label}${s.restarts ? ' (restarts)' : ''} `, el);
  $('more-settings').append(label);
  made.set(s.key, label);
  listen(el);
};

/**
 * The loss menu, grouped by family as the engine names them.
 * @param {HTMLSelectElement} el
 * @param {[string, string][]} options  `[name, family]`
 */
const lossMenu = (el, options) => {
  /** @type {Map<string, HTMLOptGroupElement>} */
  const groups = new Map();
  for (const [name, family] of options) {
    let g = groups.get(family);
    if (!g) {
      g = document.createElement('optgroup');
      g.label = family;
      el.append(g);
      groups.set(family, g);
    }
    const label = name.endsWith('-sat') ? `${name.slice(0, -4)} (saturating G)` : name;
    g.append(new Option(label, name));
  }
};

/**
 * The controls' values from the session's link. Controls of another session keep their
 * values; the shared ones follow the session.
 * @param {State} s
 */
export const syncControls = (s) => {
  const takes = new Set((sessionSettings.get(s.mode) ?? []).map((x) => x.key));
  $('more-settings').hidden = ![...made.values()].some((label) => inMode(label, s.mode));
  const h = Object.fromEntries(new URLSearchParams(s.hash));
  for (const el of controls()) {
    const own = el.closest('[data-mode]');
    // Run B's settings are in the link where they differ from run A's.
    const key = keyOf(el);
    const v = key.startsWith('b.') ? (h[key] ?? h[key.slice(2)]) : h[key];
    // A setting some session has and this one lacks (the xy game's loss): no control.
    const label = el.closest('label');
    const keys = (el.dataset.key || '').split(',');
    if (label && takes.size > 0 && keys.some((k) => knownKeys.has(k))) {
      // A control of two settings (`optd,optg`) shows where the session has either: a
      // VAE has the generator's optimizer only.
      label.hidden = (label.dataset.mode !== undefined && !inMode(label, s.mode)) || !keys.some((k) => takes.has(k));
    }
    if (document.activeElement === el && el instanceof HTMLInputElement) continue;
    if (stillChoosing(el)) continue;
    if (el.id === 'dataset-select' && isDrawing()) continue;
    if ((!(own instanceof HTMLElement) || inMode(own, s.mode)) && v !== undefined && el.value !== v) el.value = v;
  }
  // Only a conditional model (MNIST's) can be asked for a digit.
  select('digit-pick').disabled = !s.conditional;
  showLabels(s);
};

/**
 * A conditional 2D model's label picker: "each in turn", then one option per label, in
 * the label's colour's order; shown only for such a model.
 * @param {State} s
 */
const showLabels = (s) => {
  const classes = s.mode === '2d' ? s.classes || 0 : 0;
  const box = $('label-pick-box');
  box.hidden = classes === 0;
  const pick = select('label-pick');
  if (pick.options.length !== classes + 1) {
    pick.replaceChildren(new Option('all, in turn', '-1'),
      ...Array.from({ length: classes }, (_, i) => new Option(`label ${i}`, String(i))));
  }
  const v = String(s.label ?? -1);
  if (!stillChoosing(pick) && pick.value !== v) pick.value = v;
};

/**
 * The view (layers, slow motion) and compare mode's switch follow the session, as the
 * link does, once every command sent has been answered (a frame's state could undo a
 * click on its way).
 * @param {State} s
 */
export const syncView = (s) => {
  if (!answered()) return;
  const on = new Set(s.view.layers.split('.'));
  const drawn = sessionOf(s.mode)?.layers ?? [];
  for (const el of layerBoxes()) {
    el.checked = on.has(el.dataset.layer || '');
    const label = el.closest('label');
    if (label) label.hidden = !drawn.includes(el.dataset.layer || '');
  }
  input('slow-motion').checked = s.view.slowmo;
};

/** Run B's settings a VAE reads (the others are a GAN's). */
const VAE_B_KEYS = ['b.lrg', 'b.batch'];

/**
 * Compare mode's switch and what run B is; a VAE's run B shows only the settings it reads.
 * @param {State} s
 */
export const syncCompare = (s) => {
  const vae = s.b?.mode === 'vae';
  if (answered()) {
    input('compare').checked = s.compare;
    const kind = select('compare-kind');
    if (s.compare && !stillChoosing(kind)) kind.value = vae ? 'vae' : '1';
  }
  $('compare-controls').hidden = !s.compare;
  for (const el of $('compare-controls').querySelectorAll('[data-key]')) {
    const label = el.closest('label');
    if (label && el instanceof HTMLElement) label.hidden = vae && !VAE_B_KEYS.includes(el.dataset.key || '');
  }
};

/**
 * Sends a control's changes to the engine (a data set of your own first asks for points).
 * @param {Control} el
 */
const listen = (el) => {
  const apply = () => {
    stopDrawing();
    const s = state();
    if (el.id === 'dataset-select' && el.value === 'custom' && s && s.dataset !== 'custom' && !s.has_points) {
      startDrawing('click or drag on the plane to place real data points, or load a file of them');
      return;
    }
    // Only the keys this session has (a VAE's optimizer is the generator's alone).
    const takes = new Set((sessionSettings.get(s?.mode ?? '') ?? []).map((x) => x.key));
    const keys = (el.dataset.key || '').split(',');
    const own = keys.filter((k) => k.startsWith('b.') || takes.has(k));
    act('set', { keys: own.length > 0 ? own : keys, value: el.value });
  };
  if (el instanceof HTMLSelectElement) onChoice(el, apply);
  else el.addEventListener('change', apply);
};

export const initControls = () => {
  for (const el of controls()) listen(el);
  const sendLayers = () => {
    const on = layerBoxes().filter((el) => el.checked).map((el) => el.dataset.layer);
    act('set', { keys: ['show'], value: on.length ? on.join('.') : 'none' });
  };
  for (const el of layerBoxes()) el.addEventListener('change', sendLayers);
  const compare = input('compare');
  const kind = select('compare-kind');
  compare.addEventListener('change', () => act('set', { keys: ['cmp'], value: compare.checked ? kind.value : '0' }));
  onChoice(kind, () => { if (compare.checked) act('set', { keys: ['cmp'], value: kind.value }); });
  const slowMotion = input('slow-motion');
  slowMotion.addEventListener('change', () => act('set', { keys: ['slowmo'], value: slowMotion.checked ? '1' : '0' }));
  const digit = select('digit-pick');
  onChoice(digit, () => act('digit', { digit: Number(digit.value) }));
  const label = select('label-pick');
  onChoice(label, () => act('digit', { digit: Number(label.value) }));
};
