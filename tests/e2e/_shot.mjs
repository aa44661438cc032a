import { chromium } from 'playwright-core';
const [url, out, w, h, wait] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: +w, height: +h } });
p.on('console', m => console.log('console', m.type(), m.text()));
p.on('pageerror', e => console.log('pageerror', String(e)));
await p.goto(url);
await p.waitForTimeout(2000);
if (process.env.PLAY) { await p.getByTestId('play-pause').click(); }
await p.waitForTimeout(+wait);
console.log(JSON.stringify(await p.evaluate(() => window.ganPlayground && window.ganPlayground.state())));
await p.screenshot({ path: out });
await b.close();
