// @ts-check
// The engine on the page's thread: the best build this browser takes (js/modules.js),
// downloaded with a progress bar over the plane and compiled once; the same compiled
// module goes to the training worker (js/connection.js), so a visit downloads one module.
// A module that imports this one runs once the engine has started, so it may call it at
// once.
import { candidates, compile, start } from './modules.js';

/** @typedef {import('./modules.js').Build} Build */

const bar = /** @type {HTMLProgressElement | null} */ (document.getElementById('load-progress'));
const label = document.getElementById('load-label');
/** @param {string} text */
const say = (text) => { if (label) label.textContent = text; };

/** @param {Build} b @returns {Promise<number>} the module's size, from the build's list */
const sizeOf = async (b) => {
  try {
    const r = await fetch(new URL('../modules.json', import.meta.url));
    const sizes = r.ok ? await r.json() : {};
    return Number(sizes[b.key]) || 0;
  } catch {
    return 0;
  }
};

/**
 * Downloads, compiles and starts the first of `builds` that starts; the notes say why any
 * better one was passed over.
 * @param {Build[]} builds
 * @param {string[]} notes
 */
const load = async (builds, notes) => {
  for (const b of builds) {
    try {
      const total = await sizeOf(b);
      if (bar && total) bar.max = total;
      const module = await compile(b, (done) => {
        if (bar && total) bar.value = Math.min(done, total);
        say(`loading the engine: ${(done / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`);
      });
      say('starting the engine…');
      const engine = /** @type {PageEngine} */ (await start(b, module));
      return { engine, module, build: b, notes };
    } catch (e) {
      notes.push(`the ${b.key} build could not start (${e})`);
    }
  }
  throw new Error(notes.join('; '));
};

const { builds, why } = candidates();
const loaded = await load(builds, why).catch((e) => {
  say(`The engine could not start: ${e.message}. This page needs WebAssembly with SIMD (a browser from 2022 on).`);
  bar?.remove();
  throw e;
});
document.getElementById('loading')?.remove();

export const engine = loaded.engine;
// The end-to-end tests and scripts/lesson-times.mjs call the engine by this name.
window.wasmBindings = engine;
/** The compiled module and its build, for the worker; the notes, said once. */
export const compiled = { module: loaded.module, key: loaded.build.key, notes: loaded.notes };

/** @type {EngineCatalog} */
export const catalog = JSON.parse(engine.catalog());

/** @param {string} key  a session's catalog key (the state's `mode`) */
export const sessionOf = (key) => catalog.sessions.find((s) => s.key === key);
