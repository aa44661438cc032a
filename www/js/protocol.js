// @ts-check
// The messages between the page and its two workers, each shape declared once here:
// the training worker (worker.js) and the page's end of it (connection.js), the benchmark
// worker (mode-benchmark-worker.js) and the benchmark card (mode-benchmark.js). The engine checks every
// value; these types say what travels, not what is valid.

// ---- Page → training worker -------------------------------------------------------------

/**
 * Each command's arguments, by command name.
 * @typedef {object} CommandArgs
 * @property {{mode: string, link: string, fresh?: boolean}} open  shows the session `mode`
 *   (a catalog key), opened from `link` the first time, or anew when `fresh` (a lesson's
 *   set-up: the mode's run so far is dropped); the reply carries its settings
 * @property {{running: boolean}} run  plays or pauses
 * @property {{keys: string[], value: string}} set  sets `value` under each link key
 *   (`optd,optg`: one control, two settings)
 * @property {{which: 'both' | 'd' | 'g'}} step  one iteration, or one player's step
 * @property {Record<string, never>} reset  step 0 again, with the same settings
 * @property {{fx: number, fy: number}} point  a real point, at fractions of the plane's
 *   width and height
 * @property {Record<string, never>} clear  the next point placed starts a new set
 * @property {{bytes: ArrayBuffer, name: string}} points  a file of points (transferred)
 * @property {{digit: number}} digit  the digit a conditional model draws (-1: row r, r)
 * @property {{bytes: ArrayBuffer, name: string}} load  a safetensors file (transferred)
 * @property {Record<string, never>} save  the reply carries the weights' bytes
 * @property {Record<string, never>} frame  asks for a {@link FrameMessage}
 */

/** @typedef {keyof CommandArgs} CommandName */

/**
 * A command. The page numbers every one but `frame`; the worker runs them one after
 * another in the order sent and answers each with a {@link Reply}.
 * @typedef {{[C in CommandName]: {id?: number, cmd: C, args?: CommandArgs[C]}}[CommandName]} Command
 */

/**
 * The page's first message: the engine's module, compiled by the page (js/engine.js), the
 * build it is (js/modules.js) and why any better build was passed over.
 * @typedef {object} EngineModule
 * @property {WebAssembly.Module} module
 * @property {import('./modules.js').BuildKey} key
 * @property {string[]} notes
 */

// ---- Training worker → page --------------------------------------------------------------

/**
 * The answer to a command: to a numbered one, and to `frame` (without an id: the state
 * only, before the frame itself).
 * @typedef {object} Reply
 * @property {number} [id]  the command's
 * @property {boolean} ok  false when it was refused
 * @property {string} [note]  the message to show: a note, or why it was refused
 * @property {State} [state]  the session's state after it (absent before one is open)
 * @property {SettingInfo[]} [settings]  `open`'s: the session's settings, for the controls
 * @property {Uint8Array<ArrayBuffer>} [bytes]  `save`'s: the weights as a safetensors file
 */

/**
 * What to paint, posted when the page asked (`frame`); the arrays are transferred.
 * @typedef {object} FrameMessage
 * @property {Frame} frame
 * @property {State} state
 */

/**
 * A slice that failed (training, metrics or a frame): the message shows it.
 * @typedef {object} ErrorMessage
 * @property {string} error
 * @property {State} state
 */

/**
 * New metrics measured while paused (the page, asleep, then asks for a frame).
 * @typedef {object} MetricsMessage
 * @property {State} state
 */

/** @typedef {Reply | FrameMessage | ErrorMessage | MetricsMessage} WorkerMessage */

/**
 * What the worker asks of the engine's `WorkerSession.frame`: a flag per layer name of
 * the catalog (absent is off), and `fresh` to paint even what has not changed.
 * @typedef {{[layer: string]: boolean}} FrameRequest
 */

/**
 * One plane's arrays by name (`view`, then a layer's arrays, e.g. `heatmap`, `fake`,
 * `arrow_from`; the painter reads them by name) and the digits' grey images (`grid`,
 * `strip`, `real`).
 * @typedef {object} PlaneFrame
 * @property {Record<string, Float32Array>} floats
 * @property {Record<string, GreyImage>} images
 */

/**
 * @typedef {object} GreyImage
 * @property {Uint8ClampedArray} grey  `w × h` bytes, row by row
 * @property {number} w
 * @property {number} h
 */

/**
 * A frame: run A's plane and images; `b`, run B's in compare mode or a game's second
 * plane; the charts' data when it changed.
 * @typedef {PlaneFrame & {b?: PlaneFrame, charts?: Charts}} Frame
 */

/**
 * The charts' data: their names (comma-separated, one per canvas), the history as rows
 * of `history_row()` numbers, the loss means as `[step, d_loss, g_loss]` rows, the
 * markers as JSON `[[step, label], …]`; run B's rows in compare mode.
 * @typedef {object} Charts
 * @property {string} names
 * @property {Float64Array} rows
 * @property {Float64Array} losses
 * @property {string} markers
 * @property {Float64Array} [rows_b]
 * @property {Float64Array} [losses_b]
 */

/**
 * A setting as the engine describes it (core::settings::SettingInfo): the controls take
 * their limits, menus and hover text from it.
 * @typedef {object} SettingInfo
 * @property {string} key
 * @property {string} label
 * @property {'int' | 'float' | 'choice' | 'seed' | 'flag' | 'points'} kind
 * @property {number | null} min
 * @property {number | null} max
 * @property {[string, string][]} options  `[value, label]`; the losses' `[name, family]`
 * @property {boolean} restarts
 */

/**
 * What a run shows (core::session::Session::state and the lab's readout); run B's in
 * compare mode is the same less the session's own fields. The 2D fields are absent in
 * the other sessions.
 * @typedef {object} RunState
 * @property {number} step  iterations completed
 * @property {number} d_steps
 * @property {number} g_steps
 * @property {string} loss
 * @property {number} k
 * @property {number} kg
 * @property {boolean} running
 * @property {number | null} d_loss  null before D's first step
 * @property {number | null} g_loss
 * @property {number | null} metrics_step  the step the metrics were measured at
 * @property {string | null} error  why the run diverged
 * @property {'d' | 'g'} slow_next  the player slow motion steps next
 * @property {string} formula_d
 * @property {string} formula_g
 * @property {string} [dataset]
 * @property {boolean} [has_modes]
 * @property {boolean} [has_points]
 * @property {number} [classes]  a conditional 2D model's labels (0: not conditional)
 * @property {number | null} [label]  the label its pictures show (null: each in turn)
 * @property {string[]} [heat_scale]  the colour bar's left end, right end, white, and its title
 * @property {number | null} [js]
 * @property {number | null} [kl]
 * @property {number | null} [w1]
 * @property {number | null} [modes_covered]
 * @property {number | null} [modes_total]
 * @property {number[] | null} [mode_counts]  high-quality samples per mode
 * @property {number | null} [high_quality]  their share of the samples
 * @property {string} [mode]  the session's catalog key (run B's: `2d`, or `vae` for a VAE)
 * @property {boolean} has_critic  false for a game of one player (the VAE)
 * @property {number | null} [elbo]  a VAE's ELBO, and its two terms
 * @property {number | null} [elbo_recon]
 * @property {number | null} [elbo_kl]
 */

/**
 * The state the worker posts with every answer and frame.
 * @typedef {RunState & SessionFields} State
 */

/**
 * @typedef {object} SessionFields
 * @property {string} mode  the session's catalog key
 * @property {string} hash  every setting as a link, without `#`
 * @property {{layers: string, speed: string, slowmo: boolean, budget_ms: number}} view
 *   the link's view: the layers on (`real.fake`, or `none`), the speed, slow motion,
 *   the training budget of a slice
 * @property {number} steps_per_s
 * @property {number | null} gflops
 * @property {boolean} compare  compare mode's run B trains beside
 * @property {RunState} [b]  run B's
 * @property {LessonState} [lesson]  the lesson the link names
 * @property {[string, string]} [planes]  a game's two planes' titles
 * @property {string} [model]  MNIST's networks
 * @property {boolean} [conditional]
 * @property {number | null} [classes_covered]
 * @property {number | null} [class_kl]
 * @property {number | null} [frechet]
 * @property {number | null} [condition_accuracy]
 * @property {string} phase  slow motion's phase, from the worker
 * @property {number} threads  the threads training uses, from the worker
 * @property {string} build  the module training runs on, from the worker
 */

/**
 * @typedef {object} LessonState
 * @property {string} id
 * @property {string} [text]  the observation, once measured
 * @property {boolean} [holds]  whether the claim shows in this run
 * @property {{label: string, counts: number[]}} [histogram]
 */

// ---- Page ↔ benchmark worker ---------------------------------------------------------------

/**
 * The one message the page sends: a benchmark of the link's configuration, seeds 1 to
 * `runs`, as the inputs read (the engine checks them).
 * @typedef {object} BenchRequest
 * @property {string} link
 * @property {string} runs
 * @property {string} iterations
 */

/**
 * One run ended.
 * @typedef {object} BenchRunLine
 * @property {number} run  1-based
 * @property {number} of
 * @property {number} seconds
 * @property {string} cell  modes / high quality %, or `div.`
 * @property {{seed: number, diverged: string | null}} result
 */

/**
 * The whole benchmark (core's summary), kept in the table.
 * @typedef {object} BenchReport
 * @property {string} label
 * @property {string} dataset
 * @property {string} link
 * @property {number} iterations
 * @property {number} runs
 * @property {number} seconds
 * @property {string[]} cells  the table row's: modes (papers), modes (1%), high quality %,
 *   reverse KL, runs
 * @property {{modes_total: number}} summary
 * @property {string} [when]  when the page stored it
 */

/** @typedef {{run: BenchRunLine} | {done: BenchReport} | {error: string}} BenchMessage */

export {};
