// The wasm-bindgen module (src/web) as the workers import it. Trunk and
// scripts/build-variants.sh generate the module and its own .d.ts into dist/ only, so the
// parts used here are declared by hand; src/web's doc comments say what each returns.

/** What the engine lists (src/web/catalog.rs, from core's tables). */
interface EngineCatalog {
  /** The sessions a page can open (core::session::games::CATALOG), in the game menu's
   * order; the first is the one a link that names none opens. */
  sessions: CatalogSession[];
  /** The plane's layers (core::session::view::LAYERS), in the order of the link's `show=`. */
  layers: string[];
}

interface CatalogSession {
  /** The session's key: the menu's value, the worker's name for it, the state's `mode`. */
  key: string;
  /** The menu's name of it. */
  label: string;
  /** What it shows, in a line. */
  about: string;
  /** The link that opens it with its defaults (`''`, `mode=mnist`, `game=xy`). */
  link: string;
  /** Whether it paints the 2D plane (elements marked `data-mode="plane"` show with it). */
  plane: boolean;
  /** Whether it needs the digits files to open. */
  digits: boolean;
  /** The plane's layers it draws (none without a plane). */
  layers: string[];
  /** Its model in a line, for the strip; absent: the GAN's graph. */
  strip?: string;
  /** What its plane's axes are, in a line under it; absent: unlabelled. */
  axes?: string;
  /** Whether its link may carry compare mode. */
  compare: boolean;
}

/** One session in the training worker (src/web/worker.rs). */
interface WorkerSession {
  /** Releases its wasm memory (wasm-bindgen's); the object is unusable after. */
  free(): void;
  /** Whether new metrics wait to be measured (after a step, a restart, new weights). */
  metrics_pending(): boolean;
  notes(): string;
  /** JSON of `SettingInfo[]`. */
  settings(): string;
  /** JSON of the state (without the worker's own fields). */
  state(): string;
  set(key: string, value: string): string;
  running(): boolean;
  set_running(running: boolean): void;
  train_for(budget_ms: number): number;
  tick(): void;
  step_once(which: string): void;
  slow_step(): string;
  reset(): void;
  update_metrics(): void;
  metrics_every_ms(): number;
  charts(): string;
  history(): Float64Array;
  losses(): Float64Array;
  history_b(): Float64Array | undefined;
  losses_b(): Float64Array | undefined;
  /** JSON `[[step, label], …]`. */
  markers(): string;
  add_point(fx: number, fy: number): boolean;
  clear_points(): void;
  load_points(bytes: Uint8Array, name: string): string;
  set_digit(digit: number): void;
  save_weights(): Uint8Array<ArrayBuffer>;
  load_weights(bytes: Uint8Array, name: string): string;
  frame(want: import('../js/protocol.js').FrameRequest): import('../js/protocol.js').Frame;
}

interface WorkerSessionStatic {
  /** The session `link` opens; MNIST needs the digits file and the classifier's weights. */
  open(link: string, digits: Uint8Array | undefined, classifier: Uint8Array | undefined): WorkerSession;
}

declare module 'gan-engine' {
  /** Starts the wasm module: a compiled one (js/modules.js), or fetched from its path. */
  export default function init(options?: { module_or_path: WebAssembly.Module | string }): Promise<unknown>;
  export const WorkerSession: WorkerSessionStatic;
  /** JSON of {@link EngineCatalog}. */
  export function catalog(): string;
  /** The catalog key of the session `link` opens. */
  export function link_session(link: string): string;
  /** Runs a benchmark, calling `progress` with each run's JSON; returns the report's JSON. */
  export function benchmark_run(link: string, runs: string, iterations: string, progress: (line: string) => void): string;
  /** The threaded build's: starts wasm-bindgen-rayon's pool. */
  export function initThreadPool(threads: number): Promise<void>;
  /** The threaded build's: how many threads the engine's products may use. */
  export function use_thread_pool(threads: number): number;
}

// The plain module (gan-playground.js) and the two builds beside it (fma/, threads/:
// gan_playground.js), imported relative to the worker.
declare module '*/gan-playground.js' {
  export * from 'gan-engine';
  export { default } from 'gan-engine';
}
declare module '*/gan_playground.js' {
  export * from 'gan-engine';
  export { default } from 'gan-engine';
}
