// The threaded build's benchmark runs in a worker, as the page trains in one (www/worker.js):
// a thread that waits for the pool there sleeps (Atomics.wait), where on the page's main
// thread it would spin on a core the pool needs.
import init, { bench_run, initThreadPool, use_thread_pool } from '../../target/bench-variants/threads/gan_playground.js';

const ready = (async () => {
  await init();
  const cores = Math.min(navigator.hardwareConcurrency || 1, 8);
  await initThreadPool(cores);
  return use_thread_pool(cores);
})();

onmessage = async ({ data }) => {
  try {
    const threads = await ready;
    if (data.cmd === 'threads') { postMessage({ ok: true, value: threads }); return; }
    postMessage({ ok: true, value: bench_run(data.config, data.seconds, data.bytes) });
  } catch (e) {
    postMessage({ ok: false, error: String(e) });
  }
};
