// What a first visit downloads and how long until the first picture: Debian's Chromium
// opens the page served plainly and cross-origin isolated, on an unthrottled loopback and
// on a 10 Mbit/s line (the DevTools protocol's network emulation, 20 ms latency), with an
// empty cache; then MNIST. Prints one line per case: bytes on the wire and
// requests (the worker's included), the modules and data fetched, and the time until the
// first painted frame.
//   node scripts/load-report.mjs URL ISOLATED_URL
// (scripts/serve.sh serves dist/ both ways.)
import { chromium } from 'playwright-core';

const [url, isolated] = process.argv.slice(2);
if (!url || !isolated) { console.error('usage: node scripts/load-report.mjs URL ISOLATED_URL'); process.exit(2); }
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
});

const visit = async (name, base, line, hash = '') => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (line) {
    const bytesPerSecond = (line * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 20, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond,
    });
  }
  // Every request, the worker's included (the MNIST digits), with the bytes it took.
  let wire = 0, requests = 0;
  const wasm = [];
  const counted = [];
  context.on('requestfinished', (r) => counted.push((async () => {
    const res = await r.response();
    const sizes = await r.sizes();
    const enc = (await res?.headerValue('content-encoding')) || '';
    const body = sizes.responseBodySize;
    wire += body + sizes.responseHeadersSize; requests++;
    if (r.url().endsWith('.wasm') || r.url().endsWith('.digits')) wasm.push(`${new URL(r.url()).pathname} ${(body / 1e6).toFixed(2)} MB${enc ? ` ${enc}` : ''}`);
  })()));
  const t0 = Date.now();
  await page.goto(base + hash);
  // The first picture: a session's state has arrived and its first frame is painted.
  await page.waitForFunction(() => {
    const s = window.ganPlayground?.state();
    return s && s.step !== undefined && s.painted > 0;
  }, null, { timeout: 300_000, polling: 20 });
  const first = Date.now() - t0;
  await Promise.all(counted);
  const build = await page.evaluate(() => { const s = window.ganPlayground.state(); return `${s.build}, ${s.threads} thread${s.threads > 1 ? 's' : ''}`; });
  await context.close();
  console.log(`${name}: first picture ${(first / 1000).toFixed(2)} s · ${(wire / 1e6).toFixed(2)} MB on the wire in ${requests} requests · ${build} · ${wasm.join(', ') || 'no module'}`);
};

for (const [name, base] of [['plain', url], ['isolated', isolated]]) {
  await visit(`${name}, loopback`, base, 0);
  await visit(`${name}, 10 Mbit/s`, base, 10);
}
await visit('MNIST, isolated, 10 Mbit/s', isolated, 10, '#mode=mnist');
await browser.close();
