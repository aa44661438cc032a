// @ts-check
// The model strip over the plane: the two players' objectives for the loss running, the
// loss and k, and in slow motion the player about to step, with the phase's words.
import { $, input, setProp, setText } from './dom.js';
import { sessionOf } from './engine.js';

/** @typedef {import('./protocol.js').State} State */

/** @param {State} s */
export const syncStrip = (s) => {
  // A game that is not the GAN says its model in a line instead of the GAN's graph.
  const own = sessionOf(s.mode)?.strip;
  $('model-graph').hidden = !!own;
  $('model-about').hidden = !own;
  setText($('model-about'), own ?? '');
  setProp($('model-about'), 'title', own ?? '');
  setText($('formula-d'), s.formula_d);
  setText($('formula-g'), s.formula_g);
  setProp($('formula-d'), 'title', s.formula_d);
  setProp($('formula-g'), 'title', s.formula_g);
  setText($('node-loss'), `${s.loss}, k = ${s.k}` + (s.kg === 1 ? '' : `, k_G = ${s.kg}`));
  setText($('phase'), s.phase || '');
  const slowOn = input('slow-motion').checked && s.running;
  $('node-d').classList.toggle('active', slowOn && s.slow_next === 'g');
  $('node-g').classList.toggle('active', slowOn && s.slow_next === 'd');
};
