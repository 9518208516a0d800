// probwasm: public types. Each topic's methods are declared in bindings/js/<topic>.d.ts.
import type { SoftmaxApi } from './softmax.js';
import type { DiffusionApi } from './diffusion.js';
import type { WobertApi } from './wobert.js';
import type { ContrastiveApi } from './contrastive.js';
import type { AttentionApi } from './attention.js';
import type { LoraApi } from './lora.js';
import type { SectorApi } from './sector.js';
import type { MixersApi } from './mixers.js';

export type { Vector, RowOptions, SoftmaxApi, SparseOptions, JacobianMap, LossMap, ReportMap, MapOptions, MapReport } from './softmax.js';
export type { SectorApi, SectorSplit } from './sector.js';
export type { WobertApi, JiebaDictionary, Encoding, Comparison, CostOptions, TokenKind, JiebaSegmenter, WobertTokenizer } from './wobert.js';
export type { DiffusionApi, SchedulerConfig, StepOptions, StepResult, DDIMScheduler, DDPMScheduler } from './diffusion.js';
export type { ContrastiveApi, ContrastiveEvaluation, ContrastiveLossOptions, ContrastiveLossResult, MarginSweep, ContrastiveConfig, ContrastiveTrace, ContrastiveSummary, ContrastiveTrainer } from './contrastive.js';
export type { LoraApi, LoraTrainOptions, LoraSweepOptions, LoraSweepResult, LoraSweepProgress } from './lora.js';
export type { MixersApi, MixerKind, MixerOptions, MixingMatrix, MixerCost, MixerInputPattern, MixersCostResult, MatrixData, TokenMixer } from './mixers.js';
export type { AttentionApi, LogitNoise, NoiseOptions, NoiseTheory, NoiseScaling, ScaleCurve } from './attention.js';

/** Runs methods and long tasks in a module Worker. */
export interface WorkerProxy {
  /** Runs a task (see each topic's docs) or any pw method by name; progress arrives through onProgress. */
  run<T = unknown>(name: string, args?: unknown[], opts?: { onProgress?: (p: unknown) => void; signal?: AbortSignal }): Promise<T>;
  terminate(): void;
}

/** Everything load() resolves to. */
export interface Probwasm extends SoftmaxApi, DiffusionApi, WobertApi, ContrastiveApi, AttentionApi, LoraApi, SectorApi, MixersApi {
  /** The page's shared Worker running the same module (browsers); with `workerUrl`, a dedicated one. The shared one ignores terminate(). */
  worker(workerUrl?: string | URL): WorkerProxy;
}

export interface LoadOptions {
  /** Where the .wasm is served, for unusual hosting (default: next to the JS). */
  wasmUrl?: string | URL;
  /** The module's bytes, if you already have them. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Instantiates the module; without options every caller shares one instance. */
export function load(opts?: LoadOptions): Promise<Probwasm>;
