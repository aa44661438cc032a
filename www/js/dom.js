// @ts-check
// The page's elements, looked up by id with their type checked, and the two ways the
// page speaks to the user outside its panels: the message line and a download.

/**
 * The element `id`, which must be a `type` (a missing or different element is a bug of
 * the page, said at once rather than later as "undefined").
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{new (): T}} type
 * @returns {T}
 */
export const byId = (id, type) => {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return el;
};

/**
 * The first element `selector` matches, which must be there.
 * @param {string} selector
 */
export const query = (selector) => {
  const el = document.querySelector(selector);
  if (!(el instanceof HTMLElement)) throw new Error(`no ${selector} on the page`);
  return el;
};

/** @param {string} id */
export const $ = (id) => byId(id, HTMLElement);
/** @param {string} id */
export const button = (id) => byId(id, HTMLButtonElement);
/** @param {string} id */
export const input = (id) => byId(id, HTMLInputElement);
/** @param {string} id */
export const select = (id) => byId(id, HTMLSelectElement);
/** @param {string} id */
export const canvas = (id) => byId(id, HTMLCanvasElement);

/**
 * A note (kind 'info') or a refusal ('error') on the message line; a divergence has its
 * own banner.
 * @param {string} text
 * @param {'info' | 'error'} [kind]
 */
export const message = (text, kind = 'info') => {
  $('gan-message').textContent = text;
  $('gan-message').className = kind;
};

/**
 * Saves `blob` as the file `name` through a link, and says so.
 * @param {Blob} blob
 * @param {string} name
 */
export const download = (blob, name) => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  message(`saved ${name}`);
};
