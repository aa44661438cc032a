// @ts-check
// The engine on the page's thread: the wasm-bindgen module that Trunk's loader starts and
// leaves on `window.wasmBindings`, and what it lists (src/web/catalog.rs). A module that
// imports this one runs once the engine has started, so it may call it at once.

/** @returns {Promise<PageEngine>} */
const started = () => new Promise((resolve, reject) => {
  const take = () => (window.wasmBindings ? resolve(window.wasmBindings) : reject(new Error('the engine did not start')));
  // The loader sets the bindings, then announces them: either may be past already.
  if (window.wasmBindings) take();
  else addEventListener('TrunkApplicationStarted', take, { once: true });
});

export const engine = await started();

/** @type {EngineCatalog} */
export const catalog = JSON.parse(engine.catalog());

/** @param {string} key  a session's catalog key (the state's `mode`) */
export const sessionOf = (key) => catalog.sessions.find((s) => s.key === key);
