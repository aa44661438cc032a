// @ts-check
// Settings applied in a click: the TTUR rates, the papers' settings, and (for the
// benchmark card) the best preset. Each goes through the controls' path, one setting at a
// time, so the engine checks and notes each as it would a control's change.
import { act, state } from './connection.js';
import { $, button, message } from './dom.js';
import { engine } from './engine.js';

/**
 * Applies the settings of a link (`key=value&…`) over the current ones; stops at the
 * first refused, whose note stays shown.
 * @param {string} link
 */
const applyLink = async (link) => {
  for (const [k, v] of new URLSearchParams(link)) {
    const r = await act('set', { keys: [k], value: v });
    if (!r.ok) return false;
  }
  return true;
};

/**
 * Applies a preset (a link fragment) over the defaults, keeping the data and the seed
 * (core's preset_changes): resolves with the settings it changed, or null when one was
 * refused (its note stays shown).
 * @param {string} preset
 * @returns {Promise<[string, string][] | null>}
 */
export const applyPreset = async (preset) => {
  /** @type {[string, string][]} */
  let changes;
  try {
    changes = JSON.parse(engine.preset_settings(state()?.hash ?? '', preset)).changes;
  } catch (e) {
    message(String(e), 'error');
    return null;
  }
  const ok = await applyLink(changes.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
  return ok ? changes : null;
};

export const initPresets = () => {
  button('ttur').addEventListener('click', async () => {
    const [d, g] = engine.ttur_rates();
    await act('set', { keys: ['lrd'], value: String(d) });
    await act('set', { keys: ['lrg'], value: String(g) });
    message(`TTUR: lr D ${d}, lr G ${g} (Heusel et al. 2017; SAGAN's values)`);
  });
  /** @type {PaperPreset[]} */
  const papers = JSON.parse(engine.paper_presets());
  for (const p of papers) {
    const b = document.createElement('button');
    b.textContent = p.label;
    b.dataset.testid = `preset-${p.name}`;
    b.title = `${p.source}. Here: ${p.note}.`;
    b.addEventListener('click', async () => {
      if (await applyPreset(p.link)) message(`${p.label} applied; hover the button for the paper and how ours differs`);
    });
    $('paper-presets').append(b);
  }
};
