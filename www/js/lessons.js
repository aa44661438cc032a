// @ts-check
// Lessons (core::lesson): the panel lists them, each a link that opens its set-up; under
// the speed readout, the observation of the lesson the session runs, with its histogram
// where it has one.
import { $, button, canvas, setProp, setText } from './dom.js';
import { engine, sessionOf } from './engine.js';
import { openSession, trainedSteps } from './sessions.js';

/** @typedef {import('./protocol.js').State} State */

/** @type {Lesson[]} */
const lessons = JSON.parse(engine.lessons());

/** @param {Lesson} l */
const item = (l) => {
  const li = document.createElement('li');
  li.dataset.lesson = l.id;
  const a = document.createElement('a');
  a.href = `${location.pathname}${location.search}#${l.link}`;
  a.textContent = l.title;
  a.dataset.testid = `lesson-${l.id}`;
  a.addEventListener('click', (e) => { e.preventDefault(); void openLesson(l); });
  const claim = document.createElement('p');
  claim.textContent = `${l.claim} `;
  const seed = document.createElement('small');
  seed.textContent = `(lecture notes, seed ${l.seed})`;
  claim.append(seed);
  const formula = document.createElement('code');
  formula.textContent = l.formula;
  const watch = document.createElement('p');
  watch.className = 'watch';
  watch.textContent = `Watch: ${l.watch}`;
  li.append(a, claim, formula, watch);
  return li;
};

/** @param {boolean} open */
const toggle = (open) => {
  $('lessons-card').hidden = !open;
  button('lessons-open').setAttribute('aria-expanded', String(open));
  if (!open && $('lessons-card').contains(document.activeElement)) button('lessons-open').focus();
};

/**
 * Opens the lesson's set-up in its game's session, anew. A run of that game that has
 * trained is dropped only when the student says so; the other games' runs stay.
 * @param {Lesson} l
 */
const openLesson = async (l) => {
  const mode = engine.link_session(l.link);
  const steps = trainedSteps(mode);
  const label = sessionOf(mode)?.label ?? mode;
  if (steps > 0 && !confirm(`Open the lesson "${l.title}"? It starts ${label} anew with the lesson's settings; the ${label} run at step ${steps.toLocaleString('en')} is dropped.`)) return;
  if (!(await openSession(mode, l.link, true))) return;
  toggle(false);
};

export const initLessons = () => {
  $('lessons-list').replaceChildren(...lessons.map(item));
  button('lessons-open').addEventListener('click', () => toggle($('lessons-card').hidden === true));
  button('lessons-close').addEventListener('click', () => toggle(false));
  addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('lessons-card').hidden) toggle(false); });
};

/**
 * A histogram's bars on the lesson's small canvas.
 * @param {{label: string, counts: number[]}} h
 */
const drawHistogram = (h) => {
  const c = canvas('lesson-hist');
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const top = Math.max(...h.counts, 1), w = c.width / h.counts.length;
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--ink') || '#222';
  h.counts.forEach((v, i) => ctx.fillRect(i * w + 1, c.height * (1 - v / top), w - 2, c.height * v / top));
  setProp(c, 'title', `${h.label}: ${h.counts.join(', ')}`);
};

/** @param {State} s */
export const syncLesson = (s) => {
  const o = s.lesson;
  $('lesson-obs').hidden = !o;
  if (!o) return;
  const l = lessons.find((x) => x.id === o.id);
  setText($('lesson-title'), l ? `${l.title}:` : '');
  setText($('lesson-watch'), l ? `Watch: ${l.watch}` : '');
  setText($('lesson-text'), o.text || 'waiting for the first measurement…');
  $('lesson-obs').classList.toggle('holds', !!o.holds);
  for (const li of document.querySelectorAll('#lessons-list li')) {
    if (li instanceof HTMLElement) li.classList.toggle('current', li.dataset.lesson === o.id);
  }
  canvas('lesson-hist').hidden = !o.histogram;
  if (o.histogram) drawHistogram(o.histogram);
};
