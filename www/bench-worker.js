// The mode-collapse benchmark, in a Web Worker of its own beside the training one
// (worker.js), so that training on the page goes on while it runs. It loads the same
// wasm-bindgen output and runs core's protocol through src/web/benchmark.rs: each run is
// posted as it ends, then the report. The page cancels a benchmark by terminating this
// worker.
import init, { benchmark_run } from './gan-playground.js';

const ready = init();

onmessage = async ({ data }) => {
  await ready;
  const { link, runs, iterations } = data;
  try {
    const report = benchmark_run(link, runs, iterations, (line) => postMessage({ run: JSON.parse(line) }));
    postMessage({ done: JSON.parse(report) });
  } catch (e) {
    postMessage({ error: String(e) });
  }
};
