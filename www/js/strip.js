// @ts-check
// The model strip over the plane: the two players' objectives for the loss running, the
// loss and k, and in slow motion the player about to step, with the phase's words.
import { $, input } from './dom.js';

/** @typedef {import('./protocol.js').State} State */

/** @param {State} s */
export const syncStrip = (s) => {
  $('formula-d').textContent = s.formula_d;
  $('formula-g').textContent = s.formula_g;
  $('formula-d').title = s.formula_d;
  $('formula-g').title = s.formula_g;
  $('node-loss').textContent = `${s.loss}, k = ${s.k}` + (s.kg === 1 ? '' : `, k_G = ${s.kg}`);
  $('phase').textContent = s.phase || '';
  const slowOn = input('slow-motion').checked && s.running;
  $('node-d').classList.toggle('active', slowOn && s.slow_next === 'g');
  $('node-g').classList.toggle('active', slowOn && s.slow_next === 'd');
};
