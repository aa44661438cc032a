// @ts-check
// Play and pause, a step of both players or of one, Reset, and their keys: Space, S, R.
import { act, state } from './connection.js';
import { button, setProp, setText } from './dom.js';

/** @typedef {import('./protocol.js').State} State */

/**
 * A diverged run stays diverged until Reset; in compare mode training stops only when
 * both runs have.
 * @param {State} s
 */
const stopped = (s) => !!s.error && !(s.compare && s.b && !s.b.error);

/** @param {State} s */
export const syncTransport = (s) => {
  const play = button('play-pause');
  // Play offers to reset a diverged run first.
  setText(play, stopped(s) ? '↻ Reset and play' : s.running ? '❚❚ Pause' : '▶ Play');
  setProp(play, 'title', stopped(s) ? 'the run diverged: start again from step 0 with these settings, and train'
    : s.running ? 'pause training (Space)' : 'train continuously (Space)');
  play.classList.toggle('running', s.running);
  // A game of one player (the VAE) has no critic to step.
  button('step-d').hidden = !s.has_critic && !s.compare;
};

export const initTransport = () => {
  button('play-pause').addEventListener('click', async () => {
    // Before the worker's first state (the MNIST digits may still be loading) a click
    // means start: it waits in the worker's queue rather than throwing on no state.
    const s = state();
    if (s && stopped(s)) { await act('reset'); return act('run', { running: true }); }
    return act('run', { running: !(s && s.running) });
  });
  button('step').addEventListener('click', () => act('step', { which: 'both' }));
  button('step-d').addEventListener('click', () => act('step', { which: 'd' }));
  button('step-g').addEventListener('click', () => act('step', { which: 'g' }));
  button('reset').addEventListener('click', () => act('reset'));
  button('message-reset').addEventListener('click', () => button('reset').click());
  // Only when the focus is on no control (Space on a focused button is that button's, and
  // a field takes its letters), and not with a modifier (the browser's own shortcuts).
  addEventListener('keydown', (ev) => {
    const el = ev.target instanceof HTMLElement ? ev.target : null;
    const onControl = el && (/^(INPUT|SELECT|TEXTAREA|BUTTON|A|SUMMARY)$/.test(el.tagName) || el.isContentEditable);
    if (ev.ctrlKey || ev.metaKey || ev.altKey || onControl) return;
    const id = /** @type {Record<string, string>} */ ({ ' ': 'play-pause', s: 'step', r: 'reset' })[ev.key.toLowerCase()];
    if (!id) return;
    ev.preventDefault();
    button(id).click();
  });
};
