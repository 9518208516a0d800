// probwasm: public types. Each topic's methods are declared in bindings/js/<topic>.d.ts.
import type { SoftmaxApi } from './softmax.js';
import type { DiffusionApi } from './diffusion.js';
import type { WobertApi } from './wobert.js';
import type { ContrastiveApi } from './contrastive.js';
import type { AttentionApi } from './attention.js';
import type { LoraApi } from './lora.js';
import type { SectorApi } from './sector.js';
import type { MixersApi } from './mixers.js';

export type { Vector, RowOptions, OutOption, SoftmaxApi, SparseOptions, JacobianMap, LossMap, ReportMap, MapOptions, MapReport } from './softmax.js';
export type { SectorApi, SectorSplit } from './sector.js';
export type { WobertApi, JiebaDictionary, Encoding, Comparison, CostOptions, TokenKind, JiebaSegmenter, WobertTokenizer } from './wobert.js';
export type { DiffusionApi, SchedulerConfig, StepOptions, StepResult, DDIMScheduler, DDPMScheduler } from './diffusion.js';
export type { ContrastiveApi, ContrastiveEvaluation, ContrastiveLossOptions, ContrastiveLossResult, MarginSweep, ContrastiveConfig, ContrastiveTrace, ContrastiveSummary, ContrastiveTrainer } from './contrastive.js';
export type { LoraApi, LoraTrainOptions, LoraSweepOptions, LoraSweepResult, LoraSweepProgress } from './lora.js';
export type { MixersApi, MixerKind, MixerOptions, MixingMatrix, MixerCost, MixerInputPattern, MixersCostResult, MatrixData, TokenMixer } from './mixers.js';
export type { AttentionApi, LogitNoise, NoiseOptions, NoiseTheory, NoiseScaling, ScaleCurve } from './attention.js';

/** Options of a Worker run. */
export interface RunOptions {
  /** Called with each progress value a task yields (tasks only; plain methods report none). */
  onProgress?: (p: any) => void;
  /**
   * Aborting rejects the run at once with `signal.reason` (an AbortError by default) and stops its work: a
   * task at its next yield; a plain method, which cannot be interrupted inside wasm, by replacing the Worker
   * (its other jobs are sent to a fresh one and give the same seeded results).
   */
  signal?: AbortSignal;
}

/**
 * Runs methods and long tasks in a module Worker. Every run settles: with the result; with the error the
 * method threw (RangeError, TypeError, …); with a DataCloneError when an argument or the result cannot be
 * copied between threads (nothing stays pending); with an Error whose `cause` is the Worker's error event when
 * the worker script fails to load (every later run rejects too); with an AbortError on abort or terminate().
 * A method that returns an object backed by wasm memory (a scheduler, a denoiser, a segmenter, …) or a class
 * name rejects with a TypeError: such objects cannot leave the Worker (use them on the page, or run a task).
 */
export interface WorkerProxy {
  /** Runs a task (see each topic's docs) or any pw method by name. */
  run<T = any>(name: string, args?: unknown[], opts?: RunOptions): Promise<T>;
  /**
   * Rejects this proxy's pending runs and every later one with an AbortError. A dedicated proxy (worker(url))
   * terminates its Worker; the shared one stops only its own jobs, other callers keep the Worker.
   */
  terminate(): void;
}

/**
 * N module Workers, each with its own wasm instance; no SharedArrayBuffer, so no cross-origin isolation.
 * `sectorMonteCarloCurve`, `diffusionSample`, `loraSweep` and `diffusionQualityTable` are split into seeded
 * chunks across the Workers and merged into exactly (bit for bit) the single-thread result for the same seed;
 * every other name (`sectorMonteCarlo` included: its one random stream cannot be split) runs whole on the
 * least busy Worker. Same settle guarantees as WorkerProxy.
 */
export interface WorkerPool {
  /** The number of Workers. */
  readonly size: number;
  run<T = any>(name: string, args?: unknown[], opts?: RunOptions): Promise<T>;
  /** Terminates every Worker: pending and later runs reject with an AbortError. */
  terminate(): void;
}

export interface WorkerPoolOptions {
  /** Workers, an integer in [1, 64]; default navigator.hardwareConcurrency − 1, at least 1, at most 8. */
  size?: number;
}

/** Worker methods of every API that load() resolves to. */
export interface WorkerApi {
  /**
   * Without `workerUrl`: the page's shared Worker, loading the same topics as this API (one more wasm
   * instance per page, not one per caller). It works when the package is served from another origin than the
   * page (an npm CDN): a same-origin blob: module imports the cross-origin worker; where the page's CSP forbids
   * blob: workers, the jobs run on the main thread instead, or name a same-origin worker script with
   * `<meta name="probwasm-worker" content="/pw-worker.js">` (see the README). With `workerUrl`: a dedicated
   * Worker running that script. In Node (no Web Worker) the jobs run on the calling thread.
   */
  worker(workerUrl?: string | URL): WorkerProxy;
  /** A pool of Workers for the work that splits into seeded chunks (see WorkerPool). In Node, on the calling thread. */
  workerPool(opts?: WorkerPoolOptions): WorkerPool;
}

/** Everything load() resolves to. */
export interface Probwasm extends SoftmaxApi, DiffusionApi, WobertApi, ContrastiveApi, AttentionApi, LoraApi, SectorApi, MixersApi, WorkerApi {}

/** A topic: one post, one module in dist/modules/, one widget. */
export type Topic = 'softmax' | 'sector' | 'diffusion' | 'contrastive' | 'attention' | 'lora' | 'mixers' | 'wobert';

/** The methods of each topic, for load({ topics }). */
export interface TopicApis {
  softmax: SoftmaxApi; sector: SectorApi; diffusion: DiffusionApi; contrastive: ContrastiveApi;
  attention: AttentionApi; lora: LoraApi; mixers: MixersApi; wobert: WobertApi;
}

/** What load({ topics }) resolves to: only those topics' methods (all of them if load() already ran). */
export type ProbwasmSubset<T extends Topic> = UnionToIntersection<TopicApis[T]> & WorkerApi;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

export interface LoadOptions {
  /** Where the .wasm is served, for unusual hosting (default: next to the JS). With `topics`, exactly one topic. */
  wasmUrl?: string | URL;
  /** The module's bytes, if you already have them. With `topics`, exactly one topic. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** The topic names, in the posts' order. */
export const topics: readonly Topic[];

/**
 * Every topic's Worker tasks by name (what worker().run(name, args) runs): async generators of (pw, ...args)
 * that yield progress and return the result; they also run on the calling thread, e.g. in Node.
 */
export const tasks: Readonly<Record<string, (pw: any, ...args: any[]) => AsyncGenerator<unknown, unknown, void>>>;

/**
 * Instantiates the module with every topic (dist/probwasm.wasm); without options every caller shares one
 * instance. With `topics`, only those topics' own modules (dist/modules/<topic>.wasm), each shared.
 */
export function load(opts?: LoadOptions & { topics?: undefined }): Promise<Probwasm>;
export function load<T extends Topic>(opts: LoadOptions & { topics: T[] }): Promise<ProbwasmSubset<T>>;
