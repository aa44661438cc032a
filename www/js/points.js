// @ts-check
// Your own data points: placed on the plane (a click places one, a drag one every 12
// pixels along its path), loaded from a file, cleared; kept while another data set is
// shown.
import { act, afterAnswers, state } from './connection.js';
import { $, button, canvas, input, message } from './dom.js';

/** @typedef {import('./protocol.js').State} State */

// Drawing: the plane takes clicks as points before "your points" is the data set.
let drawing = false;
// The keyboard's cursor on the plane, in fractions of its width and height.
let cursor = [0.5, 0.5];

export const isDrawing = () => drawing;
export const stopDrawing = () => { drawing = false; };

/**
 * Lets the plane take points, saying `note` after the answers still on their way, so
 * that none of them covers it.
 * @param {string} note
 */
export const startDrawing = (note) => {
  drawing = true;
  canvas('gan-plane').classList.add('drawing');
  afterAnswers(() => message(note));
};

/**
 * The plane takes points while drawing or on "your points".
 * @param {State} s
 */
export const syncPoints = (s) => {
  if (s.dataset === 'custom') drawing = false;
  canvas('gan-plane').classList.toggle('drawing', s.mode === '2d' && (s.dataset === 'custom' || drawing));
};

export const initPoints = () => {
  const plane = canvas('gan-plane');
  /** @type {[number, number] | null} */
  let drag = null;
  /** @param {PointerEvent} ev */
  const place = (ev) => {
    const r = plane.getBoundingClientRect();
    act('point', { fx: (ev.clientX - r.left) / r.width, fy: (ev.clientY - r.top) / r.height });
    drag = [ev.clientX, ev.clientY];
  };
  button('draw-points').addEventListener('click', () => startDrawing('click or drag on the plane to place real data points; training goes on with each'));
  button('clear-points').addEventListener('click', async () => {
    await act('clear');
    startDrawing('points cleared: the next point you place starts a new set');
  });
  const file = input('load-points');
  file.addEventListener('change', async () => {
    const chosen = file.files && file.files[0];
    file.value = '';
    if (!chosen) return;
    const bytes = await chosen.arrayBuffer();
    await act('points', { bytes, name: chosen.name }, [bytes]);
  });
  plane.addEventListener('pointerdown', (ev) => {
    const s = state();
    if (!(drawing || (s && s.dataset === 'custom')) || (s && s.mode === 'mnist')) return;
    plane.setPointerCapture(ev.pointerId);
    place(ev);
  });
  plane.addEventListener('pointermove', (ev) => {
    if (!drag || !(ev.buttons & 1)) return;
    if (Math.hypot(ev.clientX - drag[0], ev.clientY - drag[1]) >= 12) place(ev);
  });
  plane.addEventListener('pointerup', () => { drag = null; });
  // By keyboard: the arrows move a cursor, Enter (or Space) places a point under it.
  const mark = $('plane-cursor');
  const takesPoints = () => { const s = state(); return !!s && s.mode === '2d' && (drawing || s.dataset === 'custom'); };
  const showCursor = () => {
    mark.hidden = !takesPoints() || document.activeElement !== plane;
    mark.style.left = `${100 * cursor[0]}%`;
    mark.style.top = `${100 * cursor[1]}%`;
  };
  plane.addEventListener('focus', showCursor);
  plane.addEventListener('blur', showCursor);
  plane.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const by = ev.shiftKey ? 0.1 : 0.02;
    const move = /** @type {Record<string, [number, number]>} */ ({ ArrowLeft: [-by, 0], ArrowRight: [by, 0], ArrowUp: [0, -by], ArrowDown: [0, by] })[ev.key];
    if (move) {
      ev.preventDefault();
      if (!takesPoints()) { message('choose "your points" as the data set (or press "draw points") to place points with the keys'); return; }
      cursor = [Math.min(1, Math.max(0, cursor[0] + move[0])), Math.min(1, Math.max(0, cursor[1] + move[1]))];
      showCursor();
    } else if ((ev.key === 'Enter' || ev.key === ' ') && takesPoints()) {
      ev.preventDefault();
      ev.stopPropagation();
      act('point', { fx: cursor[0], fy: cursor[1] });
    }
  });
};
