// Served cross-origin isolated (GAN_E2E_ISOLATED_URL: COOP and COEP), the page trains on
// the threaded build, and its sums are the single thread's to the last bit.
import assert from 'node:assert/strict';
import { e2e, isolatedUrl } from './fixture.mjs';

e2e('served cross-origin isolated, training takes the threaded build (a pool thread per core, FMA) and steps exactly as on one thread',
  { hash: '#mode=mnist&model=dcgan' }, async (h, t) => {
    const { page } = h;
    assert.ok(isolatedUrl, 'GAN_E2E_ISOLATED_URL names a server of dist/ that sends COOP and COEP');
    const link = '#mode=mnist&model=dcgan';
    // Three iterations from the link's seed, one Step at a time, then the losses.
    const threeSteps = async (p) => {
      await p.waitForFunction(() => window.ganPlayground && window.ganPlayground.state().model === 'dcgan', null, { timeout: 120_000 });
      for (let i = 0; i < 3; i++) {
        await p.getByTestId('step').click();
        await p.evaluate(() => window.ganPlayground.settled());
      }
      return p.evaluate(() => window.ganPlayground.state());
    };
    const plain = await threeSteps(page);
    assert.equal(plain.threads, 1, 'a page without cross-origin isolation trains on one thread');
    // Chromium has relaxed SIMD: both pages take a build with fused multiply-add.
    assert.equal(plain.build, 'relaxed SIMD');
    // The isolated page: its console errors count too (h.newPage collects them).
    const iso = await h.newPage();
    await iso.goto(isolatedUrl + link);
    const cores = await iso.evaluate(() => (self.crossOriginIsolated ? Math.min(navigator.hardwareConcurrency || 1, 8) : 0));
    assert.ok(cores > 0, 'the isolated server\'s page is cross-origin isolated');
    const threaded = await threeSteps(iso);
    assert.deepEqual([threaded.threads, threaded.build], [cores, 'relaxed SIMD'], `threads ${threaded.threads} on ${cores} cores`);
    assert.deepEqual([threaded.step, threaded.d_loss, threaded.g_loss], [plain.step, plain.d_loss, plain.g_loss],
      'threads split the work, not its sums: the same losses to the last bit');
    await iso.getByTestId('play-pause').click();
    // Training on: more steps, however long they take, and the readout's window filled.
    await iso.waitForFunction((n) => window.ganPlayground.state().step > n, threaded.step + 5, { timeout: 120_000 });
    await iso.waitForTimeout(3000);
    const s = await iso.evaluate(() => window.ganPlayground.state());
    assert.ok(s.running && s.step > threaded.step + 5, `step ${threaded.step} -> ${s.step}`);
    if (cores > 1) {
      await iso.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid=speedo]').textContent), ` ${cores}\u00a0threads · FMA`, { timeout: 120_000 }).catch(() => {});
      assert.match(await iso.getByTestId('speedo').textContent(), new RegExp(` ${cores}\u00a0threads · FMA`));
    }
    t.diagnostic(`threaded DCGAN: ${s.steps_per_s.toFixed(1)} steps/s on ${s.threads} threads at ${s.fps.toFixed(0)} frames/s`);
    await h.shot('mnist-dcgan-threads.png', iso);
  });
