// The browser side of the benchmark: the project's wasm (`bench_run`, src/web/speed_bench.rs)
// and the same GANs in TensorFlow.js (wasm and cpu backends), in one page session.
// Same models, loss (non-saturating), Adam (β = 0.5, 0.999), batch, one D and one G step
// per iteration as src/core/speed_bench.rs and benches/torch_gan.py.
import init, { bench_peak, bench_profile, bench_run } from '../../target/bench-pkg/gan_playground.js';
// The build with relaxed SIMD's fused multiply-add (scripts/build-variants.sh), which the
// page takes in a browser that has it; on the page's thread like the plain one.
import initFma, * as fma from '../../target/bench-variants/fma/gan_playground.js';

const tf = window.tf;
tf.wasm.setWasmPaths(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
// The peer at its best: on a cross-origin isolated page, one TF.js thread per core (its
// default is half the cores; index.html reports twice the cores to it for this).
if (self.crossOriginIsolated) tf.wasm.setThreadsCount(navigator.hardwareConcurrency / 2);
let digitsBytes = null, digitsScaled = null;

// The project's build with threads (scripts/build-threads.sh into target/bench-pkg-threads),
// on a cross-origin isolated page only, in a worker with one pool thread per core as the
// page's training worker starts it (www/worker.js).
let threaded = null, threadedError = 'the page is not cross-origin isolated';
const threadedCall = (msg) => new Promise((resolve, reject) => {
  threaded.onmessage = ({ data }) => (data.ok ? resolve(data.value) : reject(new Error(data.error)));
  threaded.postMessage(msg);
});
async function loadThreaded() {
  if (!self.crossOriginIsolated) return;
  threaded = new Worker(new URL('threads-worker.js', import.meta.url), { type: 'module' });
  try {
    window.candleThreads = await threadedCall({ cmd: 'threads' });
  } catch (e) {
    threadedError = String(e.message || e);
    threaded = null;
  }
}

async function digits() {
  if (digitsBytes === null) {
    const r = await fetch('../../.cache/digits/page.digits');
    if (!r.ok) throw new Error(`page.digits: HTTP ${r.status}`);
    digitsBytes = new Uint8Array(await r.arrayBuffer());
    // The format of src/core/digits.rs: 28-byte header, labels, pixels.
    const v = new DataView(digitsBytes.buffer);
    const n = v.getUint32(12, true), dim = v.getUint32(16, true) * v.getUint32(20, true);
    const px = digitsBytes.subarray(28 + n);
    digitsScaled = { n, dim, data: Float32Array.from(px, (p) => p / 127.5 - 1) };
  }
  return digitsBytes;
}

function ring8(batch) {
  const a = new Float32Array(batch * 2);
  for (let i = 0; i < batch; i++) {
    const t = Math.floor(Math.random() * 8) * 2 * Math.PI / 8;
    // Box-Muller for the 0.01 jitter.
    const r = Math.sqrt(-2 * Math.log(1 - Math.random())), th = 2 * Math.PI * Math.random();
    a[2 * i] = Math.cos(t) + 0.01 * r * Math.cos(th);
    a[2 * i + 1] = Math.sin(t) + 0.01 * r * Math.sin(th);
  }
  return tf.tensor2d(a, [batch, 2]);
}

function digitBatch(batch) {
  const { n, dim, data } = digitsScaled;
  const a = new Float32Array(batch * dim);
  for (let i = 0; i < batch; i++) {
    const k = Math.floor(Math.random() * n);
    a.set(data.subarray(k * dim, (k + 1) * dim), i * dim);
  }
  return tf.tensor2d(a, [batch, dim]);
}

const dense = (units, activation, inputShape) => tf.layers.dense({ units, activation, inputShape });
const leaky = () => tf.layers.leakyReLU({ alpha: 0.2 });

function models(config) {
  if (config === '2d-default' || config === '2d-small') {
    const h = config === '2d-default' ? 32 : 16;
    const g = tf.sequential({ layers: [dense(h, 'relu', [2]), dense(h, 'relu'), dense(2)] });
    const d = tf.sequential({ layers: [dense(h, 'relu', [2]), dense(h, 'relu'), dense(1)] });
    return { g, d, batch: h === 32 ? 256 : 64, z: 2, lr: 1e-3, real: ring8 };
  }
  if (config === 'mnist-mlp') {
    const g = tf.sequential({ layers: [dense(128, null, [64]), leaky(), dense(784, 'tanh')] });
    const d = tf.sequential({ layers: [dense(128, null, [784]), leaky(), dense(1)] });
    return { g, d, batch: 64, z: 64, lr: 2e-4, real: digitBatch };
  }
  if (config === 'mnist-conv') {
    const g = tf.sequential({ layers: [
      dense(32 * 49, null, [64]), leaky(), tf.layers.reshape({ targetShape: [7, 7, 32] }),
      tf.layers.upSampling2d({ size: [2, 2] }), tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }), leaky(),
      tf.layers.upSampling2d({ size: [2, 2] }), tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh' }),
      tf.layers.reshape({ targetShape: [784] }),
    ] });
    const d = tf.sequential({ layers: [
      tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
      tf.layers.zeroPadding2d({ padding: 1 }), tf.layers.conv2d({ filters: 16, kernelSize: 4, strides: 2 }), leaky(),
      tf.layers.zeroPadding2d({ padding: 1 }), tf.layers.conv2d({ filters: 32, kernelSize: 4, strides: 2 }), leaky(),
      tf.layers.flatten(), dense(1),
    ] });
    return { g, d, batch: 64, z: 64, lr: 2e-4, real: digitBatch };
  }
  throw new Error(`unknown config ${config}`);
}

async function tfjsBench(backend, config, seconds) {
  await tf.setBackend(backend);
  await tf.ready();
  if (config.startsWith('mnist')) await digits();
  const m = models(config);
  const optD = tf.train.adam(m.lr, 0.5, 0.999), optG = tf.train.adam(m.lr, 0.5, 0.999);
  const dVars = m.d.trainableWeights.map((w) => w.val), gVars = m.g.trainableWeights.map((w) => w.val);
  const step = () => tf.tidy(() => {
    const x = m.real(m.batch);
    const fake = m.g.apply(tf.randomNormal([m.batch, m.z]));
    optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(m.d.apply(x)))), tf.mean(tf.softplus(m.d.apply(fake)))), false, dVars);
    optG.minimize(() => tf.mean(tf.softplus(tf.neg(m.d.apply(m.g.apply(tf.randomNormal([m.batch, m.z])))))), false, gVars);
  });
  const timed = async (secs) => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < secs * 1000) {
      step();
      n++;
      // Reading a scalar back waits for the backend, as the Candle loop does every step.
      if (n % 16 === 0) await tf.ready();
    }
    return [n, (performance.now() - t0) / 1000];
  };
  await timed(seconds / 10);
  const [n, secs] = await timed(seconds);
  m.g.dispose(); m.d.dispose(); optD.dispose(); optG.dispose();
  return n / secs;
}

window.runBench = async (impl, config, seconds) => {
  if (impl === 'candle-wasm') {
    const bytes = config.startsWith('mnist') ? await digits() : undefined;
    return bench_run(config, seconds, bytes);
  }
  if (impl === 'candle-wasm-fma') {
    const bytes = config.startsWith('mnist') ? await digits() : undefined;
    return fma.bench_run(config, seconds, bytes);
  }
  if (impl === 'candle-wasm-threads') {
    if (threaded === null) throw new Error(`no threaded build: ${threadedError}`);
    const bytes = config.startsWith('mnist') ? (await digits()).slice() : undefined;
    return threadedCall({ cmd: 'run', config, seconds, bytes });
  }
  if (impl === 'tfjs-wasm') return tfjsBench('wasm', config, seconds);
  if (impl === 'tfjs-cpu') return tfjsBench('cpu', config, seconds);
  throw new Error(`unknown impl ${impl}`);
};

// How TF.js's wasm backend runs here: threads need a cross-origin isolated page (COOP and
// COEP headers: scripts/isolated_server.py), SIMD a browser with it. Read after it ran.
window.tfjsInfo = async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const threads = tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : 1;
  return {
    isolated: self.crossOriginIsolated === true,
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads,
  };
};

// The wasm modules' attainable peak on one core (BENCHMARKS.md's limit table): gemm's
// simd128 kernels, and the relaxed-SIMD FMA kernel of the fma build.
window.peakBench = async (seconds) => bench_peak(seconds);
window.peakBenchFma = async (seconds) => fma.bench_peak(seconds);

// The phases of one candle-wasm iteration, in ms (BENCHMARKS.md's profile).
window.profileBench = async (config, seconds) => {
  const bytes = config.startsWith('mnist') ? await digits() : undefined;
  return JSON.parse(bench_profile(config, seconds, bytes));
};

await init();
await initFma();
await loadThreaded();
window.benchReady = true;
