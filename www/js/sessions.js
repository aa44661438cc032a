// @ts-check
// Which session the page shows: the game menu (the engine's catalog), opening a session
// (the one the link names when the page loads), the elements each session shows, and the
// link in the address bar, which follows the session's settings.
import { openFirst, send, state } from './connection.js';
import { button, message, onChoice, select, stillChoosing } from './dom.js';
import { catalog, engine, sessionOf } from './engine.js';

/** @typedef {import('./protocol.js').SettingInfo} SettingInfo */
/** @typedef {import('./protocol.js').State} State */

/**
 * Whether an element shown in some sessions shows in `mode`: `data-mode` names them,
 * space-separated (`data-mode="2d mnist"`), `plane` standing for every session that
 * paints the 2D plane.
 * @param {HTMLElement} el
 * @param {string} mode
 */
export const inMode = (el, mode) => {
  const modes = (el.dataset.mode || '').split(' ');
  return modes.includes(mode) || (modes.includes('plane') && !!sessionOf(mode)?.plane);
};

/** @type {(settings: SettingInfo[], mode: string) => void} */
let build = () => {};

/** The step each session was at when the page last showed it, by mode. */
const stepsOf = new Map();

/**
 * How far the session `mode` has trained (0 when it is not open).
 * @param {string} mode
 */
export const trainedSteps = (mode) => stepsOf.get(mode) ?? 0;

/**
 * Opens (or returns to) the session `mode`, from `link` if it is new or `fresh` (then
 * anew, its run so far dropped). False when it could not open (the message says why).
 * @param {string} mode
 * @param {string} link
 * @param {boolean} [fresh]
 */
export const openSession = async (mode, link, fresh = false) => {
  const digits = !!sessionOf(mode)?.digits;
  if (digits) message('loading 10,000 MNIST digits and the digit classifier…');
  const r = await send('open', { mode, link, fresh });
  if (!r.ok) { message(`cannot open ${digits ? 'MNIST' : 'the session'}: ${r.note}`, 'error'); return false; }
  if (fresh) stepsOf.set(mode, 0);
  build(r.settings || [], mode);
  message(r.note || '');
  return true;
};

/**
 * The game menu, and the sessions the page's link opens: the catalog's first (the 2D GAN)
 * first, so that its controls are built whatever the link opens, then the one the link
 * names, from the link.
 * @param {(settings: SettingInfo[], mode: string) => void} built  builds the controls of a session's settings
 */
export const initSessions = (built) => {
  build = built;
  // A link typed or pasted into the address bar over this page's own: open it, as a new
  // page would (the page writes its own link in place, which fires no hashchange).
  addEventListener('hashchange', () => { if (location.hash.slice(1) !== writtenHash) location.reload(); });
  const menu = select('mode-select');
  menu.replaceChildren(...catalog.sessions.map((s) => new Option(s.label, s.key)));
  const first = catalog.sessions[0].key;
  openFirst((async () => {
    const link = location.hash;
    const linked = engine.link_session(link);
    if (!(await openSession(first, linked === first ? link : ''))) return;
    if (linked !== first) await openSession(linked, link);
  })());
  onChoice(menu, async () => {
    if (await openSession(menu.value, '')) return;
    const s = state();
    menu.value = s ? s.mode : first;
  });
  button('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      message('link copied: it opens this set-up, with these layers and this speed');
    } catch {
      message(`copy this link: ${location.href}`);
    }
  });
};

let writtenHash = /** @type {string | null} */ (null);

/**
 * The menu, and the elements of the session on screen.
 * @param {State} s
 */
export const syncSession = (s) => {
  stepsOf.set(s.mode, s.step);
  if (select('mode-select').value !== s.mode && !stillChoosing(select('mode-select'))) select('mode-select').value = s.mode;
  for (const el of document.querySelectorAll('[data-mode]')) {
    if (el instanceof HTMLElement) el.hidden = !inMode(el, s.mode);
  }
};

/**
 * The address bar's link follows the session: rewritten when its settings change, in
 * place, so that Back leaves the page rather than undoing a setting.
 * @param {State} s
 */
export const syncLink = (s) => {
  if (s.hash !== writtenHash) { writtenHash = s.hash; history.replaceState(null, '', '#' + s.hash); }
};
