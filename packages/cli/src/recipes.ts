import type { ModelName } from './args.js';

/** How `kerasm train --model NAME` trains unless flags say otherwise. */
export interface TrainingRecipe {
  batchSize: number;
  learningRate: number;
  /** Whether the learning rate follows a cosine from `learningRate` down to 0 over the whole run. */
  cosineDecay: boolean;
}

/**
 * mlp is the Keras reference program as written. The convnet with Keras' defaults (Adam 1e-3,
 * batch 64 or 32, constant rate) reaches only 0.987-0.989 test accuracy after 3 epochs here,
 * seed after seed, as Keras' own MNIST convnet example does; a 3× higher rate annealed to 0
 * along a cosine, at batch 32, reaches 0.990-0.991 (BENCHMARKS.md has the runs).
 */
export const RECIPES: Readonly<Record<ModelName, TrainingRecipe>> = Object.freeze({
  mlp: { batchSize: 64, learningRate: 0.001, cosineDecay: false },
  cnn: { batchSize: 32, learningRate: 0.003, cosineDecay: true },
  resnet: { batchSize: 64, learningRate: 0.001, cosineDecay: false },
});
