// The three browser engines through WebDriver, the W3C protocol each ships a driver for:
// Chromium (Debian's chromedriver), Firefox ESR (geckodriver, which scripts/setup.sh builds
// with cargo install) and WebKitGTK, Safari's engine (Debian's WebKitWebDriver driving its
// MiniBrowser, on an Xvfb display: it has no headless mode). selenium-webdriver speaks the
// protocol; this file starts the drivers and gives the tests a few verbs over it. Its
// mouse presses are the driver's input actions: the browser makes trusted pointer and
// mouse events of them, as of a person's hand.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Builder, By } from 'selenium-webdriver';

/** A free loopback port. */
const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// The drivers and displays started, stopped with the browser (or at the latest when the
// test process exits).
let children = [];
const stopChildren = () => { for (const c of children) c.kill('SIGKILL'); children = []; };
process.on('exit', stopChildren);

/** Starts `cmd` and waits until its WebDriver answers on `port`. */
const startDriver = async (cmd, args, port, env = process.env) => {
  const child = spawn(cmd, args, { env, stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return child;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${cmd} did not answer on port ${port}`);
};

/** An X display for WebKitGTK: Xvfb on the first free display number. */
const xDisplay = async () => {
  const child = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  const n = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  return `:${n}`;
};

const webkitDir = () => execFileSync('sh', ['-c', 'ls -d /usr/lib/*/webkit2gtk-4.1 | head -1']).toString().trim();

/** Each engine: its driver, and the capabilities that start Debian's browser under it. */
export const ENGINES = {
  chromium: {
    name: 'Chromium',
    driver: async (port) => startDriver(process.env.CHROMEDRIVER || '/usr/bin/chromedriver', [`--port=${port}`], port),
    capabilities: () => ({
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--window-size=1280,800', '--disable-quic'],
      },
    }),
  },
  firefox: {
    name: 'Firefox',
    driver: async (port) => startDriver(process.env.GECKODRIVER || 'geckodriver', ['--port', String(port)], port),
    capabilities: () => ({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX || '/usr/bin/firefox-esr',
        args: ['-headless', '-width', '1280', '-height', '800'],
        prefs: { 'browser.download.folderList': 2, 'browser.download.dir': '/tmp', 'browser.download.useDownloadDir': true },
      },
    }),
  },
  webkit: {
    name: 'WebKit',
    driver: async (port) => startDriver(process.env.WEBKITDRIVER || '/usr/bin/WebKitWebDriver', [`--port=${port}`], port,
      { ...process.env, DISPLAY: await xDisplay() }),
    capabilities: () => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: `${webkitDir()}/MiniBrowser`, args: ['--automation'] },
    }),
  },
};

/**
 * A browser of `engine` (a key of ENGINES) under its driver, with the verbs the tests use.
 * @param {keyof typeof ENGINES} engine
 */
export async function openBrowser(engine) {
  const e = ENGINES[engine];
  const port = await freePort();
  await e.driver(port);
  const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(e.capabilities()).build();
  await driver.manage().setTimeouts({ script: 120_000, pageLoad: 120_000 });
  await driver.manage().window().setRect({ width: 1280, height: 800 }).catch(() => {});
  const b = {
    name: e.name,
    driver,
    /** Opens `url`. */
    open: (url) => driver.get(url),
    /** Runs `fn(...args)` in the page; its value (a promise's, awaited). */
    eval: (fn, ...args) => driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1)))
         .then((v) => done({ ok: v === undefined ? null : v }), (err) => done({ err: String(err && err.stack || err) }));`,
      ...args).then((r) => { if (r && 'err' in r) throw new Error(r.err); return r.ok; }),
    /** Waits until `fn(...args)` in the page is truthy; its value. */
    until: async (fn, what, ...args) => {
      const t0 = Date.now();
      for (;;) {
        const v = await b.eval(fn, ...args).catch(() => null);
        if (v) return v;
        if (Date.now() - t0 > 120_000) throw new Error(`${e.name}: waited 120 s for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** A person's press on the element `css`: the pointer moves onto it, the button goes
     * down, 100 ms pass, it comes up. */
    press: async (css) => {
      const el = await driver.findElement(By.css(css));
      await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', el);
      await driver.actions({ async: true }).move({ origin: el }).press().pause(100).release().perform();
    },
    /** Picks `value` in the menu `css` as a person does: a press on the menu, then on the
     * option (WebDriver's element click on an option selects it). */
    choose: async (css, value) => {
      const el = await driver.findElement(By.css(css));
      await driver.executeScript('arguments[0].scrollIntoView({block: "center"})', el);
      await el.findElement(By.css(`option[value="${value}"]`)).click();
    },
    /** Types `text` into the field `css` after selecting what it holds, then Enter. */
    type: async (css, text) => {
      const el = await driver.findElement(By.css(css));
      await driver.executeScript('arguments[0].scrollIntoView({block: "center"}); arguments[0].select?.()', el);
      await el.sendKeys(text, '\uE007');
    },
    close: async () => { await driver.quit().catch(() => {}); stopChildren(); },
  };
  return b;
}
