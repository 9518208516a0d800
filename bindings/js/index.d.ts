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

/** Runs methods and long tasks in a module Worker. */
export interface WorkerProxy {
  /** Runs a task (see each topic's docs) or any pw method by name; progress arrives through onProgress. */
  run<T = unknown>(name: string, args?: unknown[], opts?: { onProgress?: (p: unknown) => void; signal?: AbortSignal }): Promise<T>;
  terminate(): void;
}

/** Everything load() resolves to. */
export interface Probwasm extends SoftmaxApi, DiffusionApi, WobertApi, ContrastiveApi, AttentionApi, LoraApi, SectorApi, MixersApi {
  /** The page's shared Worker loading the same topics (browsers); with `workerUrl`, a dedicated one. The shared one ignores terminate(). */
  worker(workerUrl?: string | URL): WorkerProxy;
}

/** A topic: one post, one module in dist/modules/, one widget. */
export type Topic = 'softmax' | 'sector' | 'diffusion' | 'contrastive' | 'attention' | 'lora' | 'mixers' | 'wobert';

/** The methods of each topic, for load({ topics }). */
export interface TopicApis {
  softmax: SoftmaxApi; sector: SectorApi; diffusion: DiffusionApi; contrastive: ContrastiveApi;
  attention: AttentionApi; lora: LoraApi; mixers: MixersApi; wobert: WobertApi;
}

/** What load({ topics }) resolves to: only those topics' methods (all of them if load() already ran). */
export type ProbwasmSubset<T extends Topic> = UnionToIntersection<TopicApis[T]> & Pick<Probwasm, 'worker'>;
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
 * Instantiates the module with every topic (dist/probwasm.wasm); without options every caller shares one
 * instance. With `topics`, only those topics' own modules (dist/modules/<topic>.wasm), each shared.
 */
export function load(opts?: LoadOptions & { topics?: undefined }): Promise<Probwasm>;
export function load<T extends Topic>(opts: LoadOptions & { topics: T[] }): Promise<ProbwasmSubset<T>>;
