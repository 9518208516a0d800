// The Worker side of the pool (pool.js): tasks that run one chunk of a split job. Registered in every
// Worker beside the topics' tasks (loader.js tasksFinder).
import { denoiserFromSpec } from './diffusion-sampling.js';

export const poolTasks = {
  /** Points offset … offset + count − 1 of sampleDiffusion with a model spec: one chunk of the pool's diffusionSample. */
  async *poolDiffusionSampleRange(pw, { model: spec, ...opts }) {
    const model = denoiserFromSpec(pw, spec);
    try {
      return pw.sampleDiffusion({ ...opts, model });
    } finally {
      model.dispose();
    }
  },
};
