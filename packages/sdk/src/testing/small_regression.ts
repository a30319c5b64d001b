// A small regression problem for checking a loss or a layer against a built-in one: six samples of
// three features to two targets, sample weights with a zero, and a Dense model with fixed weights.
import * as km from '../index.js';

export const xs = km.tensor([[0.5, -1, 2], [1.5, 0.2, -0.7], [-0.3, 0.8, 0.1], [2, 1, -1], [0.1, 0.1, 0.9], [-1, 2, 0.4]]);
export const ys = km.tensor([[1, -2], [0.3, 3], [-1, 0.5], [4, 1], [0, 0.2], [2, -1]]);
export const sampleWeight = km.tensor([1, 3, 0.5, 2, 0, 1.5]);

/** Mean squared error per sample, written with km ops. */
export const squaredError = (yTrue: km.Tensor, yPred: km.Tensor): km.Tensor => km.mean(km.square(km.sub(yPred, yTrue)), -1);

/** A Dense model (two units) with the same initial weights on every call. */
export function denseModel(inputShape: number[] = [3]): km.LayersModel {
  km.utils.setRandomSeed(7);
  return km.sequential([km.layers.dense({ units: 2, inputShape, biasInitializer: 'glorotUniform' })]);
}

/** The weights of {@link denseModel} after one SGD step (learning rate 1) on the whole batch, compiled with `loss`. */
export async function stepWeights(loss: km.ModelCompileArgs['loss'], x: km.Tensor, y: km.Tensor, weights?: km.Tensor, inputShape?: number[]): Promise<Float32Array[]> {
  const model = denseModel(inputShape);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss });
  await model.fit(x, y, { epochs: 1, batchSize: x.shape[0], shuffle: false, verbose: 0, sampleWeight: weights });
  return Promise.all(model.getWeights().map(async (t) => (await t.data()) as Float32Array));
}
