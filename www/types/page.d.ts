// The wasm-bindgen module's exports the page's thread calls, as js/engine.js leaves them
// on `window.wasmBindings` (declared by hand: the generated .d.ts is only in dist/), and
// the page's own API for the end-to-end tests (tests/e2e).

type Charts = import('../js/protocol.js').Charts;
type GreyImage = import('../js/protocol.js').GreyImage;

interface PageEngine {
  /** JSON of {@link EngineCatalog}. */
  catalog(): string;
  /** The catalog key of the session `link` opens. */
  link_session(link: string): string;
  /** JSON of {@link Lesson}[]. */
  lessons(): string;
  /** JSON of {@link PaperPreset}[]. */
  paper_presets(): string;
  /** JSON `{name: '#rrggbb'}`: core::palette's named colours. */
  palette_css(): string;
  /** `[lr_D, lr_G]`. */
  ttur_rates(): Float64Array;
  format_number(v: number, digits: number): string;
  /** Numbers per history point in the charts' rows. */
  history_row(): number;
  chart_help(name: string): string;
  chart_csv(name: string, charts: Charts): string;
  /** The chart in words, run A's (its canvas's text alternative). */
  chart_words(name: string, charts: Charts): string;
  paint_plane(canvas: HTMLCanvasElement, floats: Record<string, Float32Array>): void;
  paint_grey(canvas: HTMLCanvasElement, image: GreyImage): void;
  /** Paints the thumbnail of the preset data set `name`; throws for an unknown name. */
  paint_thumbnail(canvas: HTMLCanvasElement, name: string): void;
  paint_charts(canvases: HTMLCanvasElement[], charts: Charts): void;
  paint_colour_bar(canvas: HTMLCanvasElement): void;
  /** JSON `{preset, changes: [[key, value], …]}`; throws the refusal. */
  preset_settings(link: string, preset: string): string;
  mode_cure_preset(): string;
  /** JSON of {@link BenchmarkPlan}. */
  benchmark_settings(): string;
  /** Why a benchmark cannot run ('' when it can). */
  benchmark_check(link: string, runs: string, iterations: string): string;
  benchmark_refusal(link: string): string;
  benchmark_label(link: string): string;
  /** JSON of {@link PublishedRow}[]. */
  benchmark_published(dataset: string): string;
}

/** A lesson of core::lesson (`lessons()`). */
interface Lesson {
  id: string;
  title: string;
  claim: string;
  formula: string;
  seed: string;
  setup: string;
  watch: string;
  /** Its set-up with `lesson=<id>`. */
  link: string;
}

/** A paper's settings (core::plane::presets). */
interface PaperPreset {
  name: string;
  label: string;
  source: string;
  note: string;
  link: string;
}

/** The benchmark inputs' limits and defaults. */
interface BenchmarkPlan {
  settings: import('../js/protocol.js').SettingInfo[];
  /** Each input's default, by its setting's key. */
  [key: string]: unknown;
}

/** A published row of the mode-collapse benchmark. */
interface PublishedRow {
  method: string;
  source: string;
  modes: number;
  high_quality: number;
}

/** What the end-to-end tests read of the page. */
interface PageApi {
  /** The last state the worker posted, with the page's frames/s. */
  state(): Partial<import('../js/protocol.js').State> & { fps: number; painted: number; loops: number; asleep: boolean };
  /** Resolves once every command sent has been answered and its note shown. */
  settled(): Promise<unknown>;
  /** What the charts were last drawn from. */
  charts(): ChartsSummary | null;
  /** The benchmark table's rows and the benchmark running. */
  benchmarks(): { rows: import('../js/protocol.js').BenchReport[]; live: unknown };
  /** The settings of the session on screen, as the engine describes them. */
  settings(): import('../js/protocol.js').SettingInfo[];
}

interface ChartsSummary {
  names: string;
  points: number;
  losses: number;
  markers: [number, string][];
  points_b: number;
  losses_b: number;
}

interface Window {
  wasmBindings?: PageEngine;
  /** The page's errors since it opened (index.html's first script). */
  pageErrors: string[];
  ganPlayground?: PageApi;
}
