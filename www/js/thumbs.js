// @ts-check
// The data-set picker: a thumbnail of each preset data set (its points, drawn by the engine
// as the plane would show them), pressed to pick it. It sets the data-set menu, which stays
// the one control of the setting (and the way to "your points"): a press is a choice made
// in the menu.
import { engine } from './engine.js';
import { $, setProp } from './dom.js';

/** @typedef {import('./protocol.js').State} State */

const menu = () => /** @type {HTMLSelectElement} */ ($('dataset-select'));
/** @returns {HTMLButtonElement[]} */
const thumbs = () => [...document.querySelectorAll('#dataset-thumbs button')].map((b) => /** @type {HTMLButtonElement} */ (b));

export const initThumbs = () => {
  const box = $('dataset-thumbs');
  for (const option of menu().options) {
    if (option.value === 'custom') continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.dataset = option.value;
    b.setAttribute('aria-pressed', 'false');
    b.title = `train on the ${option.text} data set (restarts)`;
    const c = document.createElement('canvas');
    c.width = c.height = 48;
    c.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.textContent = option.text;
    b.append(c, name);
    box.append(b);
    engine.paint_thumbnail(c, option.value);
    b.addEventListener('click', () => {
      if (menu().value === option.value) return;
      menu().value = option.value;
      menu().dispatchEvent(new Event('change'));
    });
  }
};

/** @param {State} s */
export const syncThumbs = (s) => {
  for (const b of thumbs()) setProp(b, 'ariaPressed', String(b.dataset.dataset === s.dataset));
};
