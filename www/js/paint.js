// @ts-check
// The paint loop, at the display's rate: it paints the newest frame the worker posted
// (src/web/paint.rs reads the planes' layers by name), shows the readout, and asks for the
// next frame. It never trains, so it keeps its rate whatever the model.
import { paintCharts } from './charts.js';
import { askFrame, state, takeFrame } from './connection.js';
import { $, canvas, message } from './dom.js';
import { engine } from './engine.js';
import { showReadout } from './readout.js';

/** @typedef {import('./protocol.js').Frame} Frame */

// The digits' images, by the frame's name, and the canvas each goes on.
const digitCanvases = { grid: 'digit-grid', strip: 'digit-strip', real: 'digit-real' };

let fps = 0;

/** The page's frames per second over the last second. */
export const framesPerSecond = () => fps;

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
    if (now - lastFps >= 1000) { fps = frames * 1000 / (now - lastFps); frames = 0; lastFps = now; }
    const f = takeFrame();
    if (f) {
      try { paint(f); } catch (e) { message(String(e), 'error'); }
    }
    askFrame();
    const s = state();
    if (s) showReadout(s, fps);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
};
