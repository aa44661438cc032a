// @ts-check
// The paint loop, at the display's rate: it paints the newest frame the worker posted
// (src/web/paint.rs reads the planes' layers by name), shows the readout, and asks for the
// next frame. It never trains, so it keeps its rate whatever the model. Paused with
// nothing new it stops, so that an idle tab costs nothing, and the worker's next message
// (or a change of the page's own) starts it again.
import { paintCharts } from './charts.js';
import { askFrame, idle, onWake, state, takeFrame } from './connection.js';
import { $, canvas, message } from './dom.js';
import { engine } from './engine.js';
import { showReadout } from './readout.js';

/** @typedef {import('./protocol.js').Frame} Frame */

// The digits' images, by the frame's name, and the canvas each goes on.
const digitCanvases = { grid: 'digit-grid', strip: 'digit-strip', real: 'digit-real' };

let fps = 0, painted = 0, loops = 0, asleep = false;

/** The page's frames per second over the last second of painting (0 asleep). */
export const framesPerSecond = () => fps;

/**
 * What the loop has done since the page opened: frames painted, animation frames run,
 * and whether it is asleep now (the end-to-end tests read them).
 */
export const loopCounts = () => ({ painted, loops, asleep });

/** @param {Frame} f */
const paint = (f) => {
  engine.paint_plane(canvas('gan-plane'), f.floats);
  if (f.b && !$('plane-box-b').hidden) engine.paint_plane(canvas('gan-plane-b'), f.b.floats);
  for (const [name, id] of Object.entries(digitCanvases)) {
    const img = f.images[name];
    if (img) engine.paint_grey(canvas(id), img);
  }
  if (f.charts) paintCharts(f.charts);
};

export const startPainting = () => {
  let frames = 0, lastFps = performance.now();
  /** @param {number} now */
  const loop = (now) => {
    frames++;
    loops++;
    if (now - lastFps >= 1000) { fps = frames * 1000 / (now - lastFps); frames = 0; lastFps = now; }
    const f = takeFrame();
    if (f) {
      painted++;
      try { paint(f); } catch (e) { message(String(e), 'error'); }
    }
    askFrame();
    const s = state();
    if (s) showReadout(s, fps);
    if (idle()) { asleep = true; fps = 0; return; }
    requestAnimationFrame(loop);
  };
  onWake(() => {
    if (!asleep) return;
    asleep = false;
    frames = 0;
    lastFps = performance.now();
    requestAnimationFrame(loop);
  });
  requestAnimationFrame(loop);
};
