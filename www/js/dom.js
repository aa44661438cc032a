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

// The page writes the DOM only where a value changed. Besides sparing the layout, a
// rewrite under the pointer breaks a press: WebKit drops the click whose target text node
// was replaced between mousedown and mouseup, and the states arrive many times a second.
/**
 * Sets `el`'s text, if it differs.
 * @param {HTMLElement} el
 * @param {string} text
 */
export const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

/** @type {WeakMap<HTMLElement, string>} */
const shownHTML = new WeakMap();
/**
 * Sets `el`'s markup, if it differs from what this function last set there (the
 * browser's serialisation of it may differ from the string).
 * @param {HTMLElement} el
 * @param {string} html
 */
export const setHTML = (el, html) => {
  if (shownHTML.get(el) === html) return;
  shownHTML.set(el, html);
  el.innerHTML = html;
};

/**
 * Sets an attribute (a property of the element's own: title, className …), if it differs.
 * @template {HTMLElement} T
 * @template {'title' | 'className' | 'ariaPressed'} K
 * @param {T} el
 * @param {K} key
 * @param {string} value
 */
export const setProp = (el, key, value) => { if (el[key] !== value) el[key] = value; };

/**
 * Runs `apply` when a menu's choice is made: at once for a pick from its list (pointer,
 * touch, or Enter in the open list), but when the arrow keys step a closed menu through
 * its options (which fires `change` at each press in Chromium and Firefox, and would
 * switch the running loss or game at each) only once the student stops: Enter, leaving
 * the menu, or a second without a key.
 * @param {HTMLSelectElement} el
 * @param {() => void} apply
 */
export const onChoice = (el, apply) => {
  let keyAt = -Infinity, pending = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const commit = () => {
    clearTimeout(timer);
    choosing.delete(el);
    if (pending) { pending = false; apply(); }
  };
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') commit();
    else keyAt = performance.now();
  });
  el.addEventListener('change', () => {
    clearTimeout(timer);
    if (performance.now() - keyAt < 300) {
      pending = true;
      choosing.add(el);
      timer = setTimeout(commit, 1000);
      return;
    }
    pending = false;
    choosing.delete(el);
    apply();
  });
  el.addEventListener('blur', commit);
};

/** The menus whose choice is being made by the arrow keys, not yet applied. */
const choosing = new WeakSet();

/**
 * Whether a menu holds a choice the student is still making: the session's state must not
 * put the menu back to the value it replaces meanwhile.
 * @param {Element} el
 */
export const stillChoosing = (el) => choosing.has(el);

/**
 * A note (kind 'info') or a refusal ('error') on the message line; a divergence has its
 * own banner.
 * @param {string} text
 * @param {'info' | 'error'} [kind]
 */
export const message = (text, kind = 'info') => {
  setText($('gan-message'), text);
  setProp($('gan-message'), 'className', kind);
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
