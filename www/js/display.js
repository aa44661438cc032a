// @ts-check
// How the page looks beyond its style sheet: the palette's colours (core::palette) as CSS
// variables, so that swatches and legends are the engine's colours; the heatmap's colour
// bar; projector mode (large type and high contrast, for a lecture hall).
import { button, canvas } from './dom.js';
import { engine } from './engine.js';

export const initDisplay = () => {
  /** @type {Record<string, string>} */
  const palette = JSON.parse(engine.palette_css());
  for (const [name, colour] of Object.entries(palette)) {
    document.documentElement.style.setProperty(`--${name}`, colour);
  }
  engine.paint_colour_bar(canvas('colour-bar'));
  const projector = button('projector');
  projector.addEventListener('click', () => {
    const on = document.body.classList.toggle('projector');
    projector.setAttribute('aria-pressed', String(on));
  });
};
