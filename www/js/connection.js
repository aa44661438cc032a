// @ts-check
// The page's end of the training worker (worker.js; the messages are in protocol.js): it
// sends the commands, keeps the last state and the newest frame the worker posted, and
// knows when every command sent has been answered.
import { message } from './dom.js';
import { compiled } from './engine.js';

/** @typedef {import('./protocol.js').Command} Command */
/** @typedef {import('./protocol.js').CommandArgs} CommandArgs */
/** @typedef {import('./protocol.js').CommandName} CommandName */
/** @typedef {import('./protocol.js').Reply} Reply */
/** @typedef {import('./protocol.js').State} State */
/** @typedef {import('./protocol.js').Frame} Frame */
/** @typedef {import('./protocol.js').WorkerMessage} WorkerMessage */

/** @type {Worker | null} */
let worker = null;
// Commands carry an id and the worker answers them in order, so settled() (every command
// sent has been answered and its note shown) is the last command's promise.
let nextId = 0;
/** @type {Map<number, (reply: Reply) => void>} */
const pending = new Map();
/** @type {Promise<unknown>} */
let last = Promise.resolve();
// A control used while the link's sessions are still opening (2D first, then the one the
// link names) acts once they are open, on the session the link names.
/** @type {Promise<unknown>} */
let opening = Promise.resolve();
/** @type {State | null} */
let current = null;
/** @type {Frame | null} */
let newest = null;
let frameAsked = false;
// Whether the planes may show something the last frame did not: a state or an answer came
// that was not a frame's own. Paused and not dirty, the page asks for no frame.
let dirty = true;
/** @type {() => void} */
let wake = () => {};

/** @param {Command} msg @param {Transferable[]} [transfer] */
const post = (msg, transfer = []) => {
  if (!worker) throw new Error('the training worker has not started');
  worker.postMessage(msg, transfer);
};

/**
 * Starts the training worker; `onState` hears every state it posts.
 * @param {(state: State) => void} onState
 */
export const connect = (onState) => {
  worker = new Worker('worker.js', { type: 'module' });
  // First, the engine the page compiled: the worker downloads no module of its own.
  worker.postMessage({ engine: compiled });
  /** @param {MessageEvent<WorkerMessage>} ev */
  worker.onmessage = ({ data }) => {
    const id = 'id' in data ? data.id : undefined;
    const resolve = id === undefined ? undefined : pending.get(id);
    if (id !== undefined) pending.delete(id);
    if (data.state) { current = data.state; onState(current); }
    // Anything but a frame or the answer to asking for one (which carries no id) may
    // change what the planes show.
    if ('frame' in data) { newest = data.frame; frameAsked = false; } else if (id !== undefined || !('ok' in data)) dirty = true;
    if ('error' in data) message(data.error, 'error');
    if (resolve && 'ok' in data) resolve(data);
    wake();
  };
  worker.onerror = (e) => {
    window.pageErrors.push(`worker: ${e.message || e}`);
    message(`the training worker stopped: ${e.message || e}; please reload the page`, 'error');
  };
};

/**
 * Sends a command; resolves with its reply.
 * @template {CommandName} C
 * @param {C} cmd
 * @param {CommandArgs[C]} [args]
 * @param {Transferable[]} [transfer]
 * @returns {Promise<Reply>}
 */
export const send = (cmd, args, transfer = []) => {
  const reply = /** @type {Promise<Reply>} */ (new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, resolve);
    // C pairs `cmd` with its arguments, which the checker cannot see through the union.
    post(/** @type {Command} */ ({ id, cmd, args }), transfer);
  }));
  last = reply;
  return reply;
};

/**
 * Sends a command once the link's sessions are open, and shows its note (or its refusal).
 * @template {CommandName} C
 * @param {C} cmd
 * @param {CommandArgs[C]} [args]
 * @param {Transferable[]} [transfer]
 * @returns {Promise<Reply>}
 */
export const act = (cmd, args, transfer) => {
  const reply = opening.then(() => send(cmd, args, transfer))
    .then((r) => { message(r.note || '', r.ok ? 'info' : 'error'); return r; });
  last = reply;
  return reply;
};

/** Resolves once every command sent has been answered (the end-to-end tests wait on it). */
export const settled = () => last;

/**
 * Runs `then` after the answers still on their way, so that none of them covers what it
 * shows.
 * @param {() => void} then
 */
export const afterAnswers = (then) => { last = last.then(then); };

/**
 * Holds every command back until `open` (the link's sessions opening) is done.
 * @param {Promise<unknown>} open
 */
export const openFirst = (open) => { opening = open; };

/** Whether every command sent has been answered: a state then reflects all of them. */
export const answered = () => pending.size === 0;

/** The last state the worker posted (null before the first). */
export const state = () => current;

/** The newest frame not yet painted, taken (null when none came since). */
export const takeFrame = () => {
  const f = newest;
  newest = null;
  return f;
};

/**
 * Asks for the next frame, unless one is asked for already, no session is open, or it is
 * paused and nothing changed since the last.
 */
export const askFrame = () => {
  if (current && !frameAsked && (current.running || dirty)) {
    dirty = false;
    frameAsked = true;
    post({ cmd: 'frame' });
  }
};

/** Whether the paint loop has nothing to do: paused, nothing new, no frame on its way. */
export const idle = () => !current || (!newest && !frameAsked && !dirty && !current.running);

/**
 * `fn` runs when the worker posts anything, or when the page changed what the planes
 * show (invalidate): the paint loop sleeps while idle and wakes on it.
 * @param {() => void} fn
 */
export const onWake = (fn) => { wake = fn; };

/** The planes need a new frame (the page changed how they are drawn). */
export const invalidate = () => { dirty = true; wake(); };
