// @ts-check
// The planes' frames: the divergence banners, and the second plane beside the first
// (compare mode's run B, or a game's second plane: the BiGAN's latent space, the
// CycleGAN's way back), both at half width, each with its tag.
import { sessionOf } from './engine.js';
import { $, setProp, setText } from './dom.js';

/** @typedef {import('./protocol.js').State} State */
/** @typedef {import('./protocol.js').RunState} RunState */

/** @param {RunState} r */
const tag = (r) => (r.mode === 'vae' ? 'VAE, the GAN\'s sizes' : `${r.loss}, k = ${r.k}` + (r.kg === 1 ? '' : `, k_G = ${r.kg}`));

/** @param {State} s */
export const syncPlanes = (s) => {
  // What the axes are, where the game's axes mean something of their own (the catalog's).
  const axes = sessionOf(s.mode)?.axes;
  $('plane-axes').hidden = !axes;
  if (axes) setText($('plane-axes'), axes);
  $('diverged').hidden = !s.error;
  if (s.error) {
    setText($('diverged-text'), (s.compare ? `run A: ${s.error}. Run A stopped` : `${s.error}. Training stopped`) +
      '; the networks keep the weights of the last healthy step. Lower the learning rates or change the loss, then Reset.');
  }
  const two = s.compare || Array.isArray(s.planes);
  document.body.classList.toggle('compare', two);
  $('plane-box-b').hidden = !two;
  $('tag-a').hidden = !two;
  if (!s.compare && s.planes) {
    setText($('tag-a'), s.planes[0]);
    setText($('tag-b'), s.planes[1]);
    setProp($('tag-a'), 'title', '');
    setProp($('tag-b'), 'title', '');
    $('diverged-b').hidden = true;
  }
  if (s.compare && s.b) {
    setText($('tag-a'), `A · ${tag(s)}`);
    setText($('tag-b'), `B · ${tag(s.b)}`);
    setProp($('tag-a'), 'title', `run A\nD: ${s.formula_d}\nG: ${s.formula_g}`);
    setProp($('tag-b'), 'title', `run B\nD: ${s.b.formula_d}\nG: ${s.b.formula_g}`);
    $('diverged-b').hidden = !s.b.error;
    if (s.b.error) setText($('diverged-b-text'), `run B: ${s.b.error}. Run B stopped; run A trains on. Reset starts both again.`);
  }
};
