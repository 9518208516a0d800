// Types of the diffusion facade's part C (diffusion-images.js): post 4 on real 8×8 digits (issue 16).
import type { Vector } from './softmax.js';
import type { MlpDenoiser } from './diffusion-sampling.js';
import type { SchedulerConfig } from './diffusion.js';

/** Where the shipped bundle is read from (default: assets/diffusion/digits-models.bin next to the package). */
export interface ImageAssetOptions {
  url?: string | URL;
}

/** The shipped ε-model for 8×8 digits in [−1, 1]: an MlpDenoiser (dim 64) that sampleDiffusion accepts. */
export interface ImageDenoiser extends MlpDenoiser {
  /** The schedule it was trained with (DDIMScheduler's defaults: linear β 1e-4 … 0.02, T = 1000). */
  readonly scheduler: SchedulerConfig;
  /** 8: images are 8×8, row-major. */
  readonly imageSize: number;
}

/** The shipped digit classifier (64 → 128 → 32 → 10, SiLU). */
export interface ImageClassifier {
  /** Width of the feature layer (32): the space of imageQuality's Fréchet distance. */
  readonly featureDim: number;
  /** n × featureDim features of n images (n × 64). */
  features(x: Vector): Float32Array;
  /** n × 10 class probabilities. */
  classify(x: Vector): Float64Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface ImageQuality {
  /** Fréchet distance² between Gaussians fitted to the classifier features of the samples and of the reference. */
  fid: number;
  /** Fraction of samples per predicted class (argmax), 10 entries. */
  histogram: Float64Array;
  /** −Σ h log h of the histogram, nats (log 10 ≈ 2.303 when uniform). */
  entropy: number;
  /** Mean max-probability of the samples. */
  confidence: number;
  count: number;
}

export interface DigitImages {
  /** n × 64 in [−1, 1] (pixel/8 − 1). */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  split: 'train' | 'heldOut';
}

export interface DiffusionImagesApi {
  /** Loads the shipped ε-model (fetches the bundle once per URL). */
  imageDenoiser(opts?: ImageAssetOptions): Promise<ImageDenoiser>;
  imageClassifier(opts?: ImageAssetOptions): Promise<ImageClassifier>;
  /** The real digits (UCI optdigits, CC BY 4.0): 'train' (1438) or 'heldOut' (359, rows i with i % 5 = 4; the default). */
  digitImages(opts?: ImageAssetOptions & { split?: 'train' | 'heldOut' }): Promise<DigitImages>;
  /**
   * Scores samples against real reference images (both n × 64) in the classifier's feature space, each pixel
   * clamped to [−1, 1] first: images as they are shown (diffusers' pipelines clamp their output the same way).
   */
  imageQuality(samples: Vector, opts: { classifier: ImageClassifier; reference: Vector }): ImageQuality;
  /** Fréchet distance² between Gaussians fitted to two point sets (rows of dim; at least 2 rows each). */
  frechetDistance(a: Vector, b: Vector, dim: number): number;
  /** Root-mean-square difference of two equally long arrays. */
  imageRmse(a: Vector, b: Vector): number;
}
