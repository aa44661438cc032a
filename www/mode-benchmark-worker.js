// @ts-check
// The mode-collapse benchmark, in a Web Worker of its own beside the training one
// (worker.js), so that training on the page goes on while it runs. It loads the same
// wasm-bindgen output and runs core's protocol through src/web/mode_benchmark.rs: each run is
// posted as it ends, then the report (js/protocol.js: BenchRequest, BenchMessage). The
// page cancels a benchmark by terminating this worker.
import init, { benchmark_run } from './gan-playground.js';

/** @typedef {import('./js/protocol.js').BenchRequest} BenchRequest */
/** @typedef {import('./js/protocol.js').BenchMessage} BenchMessage */

const ready = init();

/** @param {BenchMessage} message */
const say = (message) => postMessage(message);

/** @param {MessageEvent<BenchRequest>} ev */
onmessage = async ({ data }) => {
  await ready;
  const { link, runs, iterations } = data;
  try {
    const report = benchmark_run(link, runs, iterations, (line) => say({ run: JSON.parse(line) }));
    say({ done: JSON.parse(report) });
  } catch (e) {
    say({ error: String(e) });
  }
};
