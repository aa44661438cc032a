// @ts-check
// The page's three builds of the engine (scripts/build-variants.sh) and which of them this
// browser takes: the page's thread and the training worker both read it. The page
// downloads and compiles the best one once and hands the compiled module to the worker,
// so a visit downloads one module.

/**
 * @typedef {'threads' | 'fma' | 'plain'} BuildKey
 * @typedef {{key: BuildKey, glue: string, wasm: string, build: string, threaded: boolean}} Build
 */

/** @type {{[K in BuildKey]: Build}} */
export const BUILDS = {
  // Relaxed SIMD (products on fused multiply-add) and a wasm-bindgen-rayon thread pool.
  threads: { key: 'threads', glue: '../threads/gan_playground.js', wasm: '../threads/gan_playground_bg.wasm', build: 'relaxed SIMD', threaded: true },
  // Relaxed SIMD on one thread.
  fma: { key: 'fma', glue: '../fma/gan_playground.js', wasm: '../fma/gan_playground_bg.wasm', build: 'relaxed SIMD', threaded: false },
  // simd128, which every browser the page supports validates.
  plain: { key: 'plain', glue: '../gan-playground.js', wasm: '../gan-playground_bg.wasm', build: 'simd128', threaded: false },
};

// A module using one relaxed-SIMD instruction (i8x16.relaxed_swizzle), as
// wasm-feature-detect checks it: it validates only where relaxed SIMD is supported.
export const relaxedSimd = () => WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123,
  3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]));

/** Whether a module's memory may be shared with workers. A browser may report the page
 * isolated and still lack SharedArrayBuffer (WebKitGTK does): the threaded module needs
 * both. */
export const sharedMemory = () => self.crossOriginIsolated && typeof SharedArrayBuffer === 'function';

/** The threads a pool may take: one per core, at most 8 (more gained nothing measured). */
export const poolSize = () => Math.min(navigator.hardwareConcurrency || 1, 8);

/**
 * The builds this browser may take, best first (the plain one always last), and why each
 * better one is not among them: said once on the page.
 * @returns {{builds: Build[], why: string[]}}
 */
export const candidates = () => {
  /** @type {string[]} */
  const why = [];
  if (!relaxedSimd()) {
    why.push('this browser does not validate relaxed SIMD: training on the simd128 build');
    return { builds: [BUILDS.plain], why };
  }
  const shared = sharedMemory();
  if (shared && poolSize() > 1) return { builds: [BUILDS.threads, BUILDS.fma, BUILDS.plain], why };
  if (self.crossOriginIsolated && !shared) why.push('this browser has no SharedArrayBuffer although the page is isolated: training on one thread');
  return { builds: [BUILDS.fma, BUILDS.plain], why };
};

/**
 * Downloads and compiles a build's module, telling `progress` the bytes unpacked so far.
 * The download may be compressed (the server's Content-Encoding), so its length does not
 * say how many bytes it unpacks to: `total` comes from the build's modules.json.
 * @param {Build} b
 * @param {(done: number) => void} [progress]
 * @returns {Promise<WebAssembly.Module>}
 */
export const compile = async (b, progress) => {
  const url = new URL(b.wasm, import.meta.url);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
  if (!progress || !r.body) return WebAssembly.compileStreaming(r);
  let done = 0;
  const counted = r.body.pipeThrough(new TransformStream({
    transform(chunk, out) { done += chunk.byteLength; progress(done); out.enqueue(chunk); },
  }));
  return WebAssembly.compileStreaming(new Response(counted, { headers: { 'Content-Type': 'application/wasm' } }));
};

/**
 * Starts a build's glue on a compiled module; the engine's exports, which the page and the
 * worker each see as their own part of them (PageEngine, the worker's Engine).
 * @param {Build} b
 * @param {WebAssembly.Module} module
 * @returns {Promise<unknown>}
 */
export const start = async (b, module) => {
  const glue = /** @type {{default: (o: {module_or_path: WebAssembly.Module}) => Promise<unknown>}} */ (
    await import(new URL(b.glue, import.meta.url).href));
  await glue.default({ module_or_path: module });
  return glue;
};
