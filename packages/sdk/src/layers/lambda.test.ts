// Keras' Lambda layer: a function of km tensors as a layer, checked against the built-in activation
// computing the same function; its options and the refusal to save it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectGradientsClose } from '../testing/sgd_gradients.js';
import { xs, ys } from '../testing/small_regression.js';

beforeAll(() => km.ready());

/** A Dense(4) → middle → Dense(2) model with the same initial weights on every call. */
function modelWith(middle: km.layers.Layer): km.LayersModel {
  km.utils.setRandomSeed(9);
  return km.sequential([km.layers.dense({ units: 4, inputShape: [3] }), middle, km.layers.dense({ units: 2 })]);
}

describe('km.layers.lambda', () => {
  it("x·sigmoid(x) trains as the built-in 'swish' activation", async () => {
    const results: { losses: number[]; weights: Float32Array[] }[] = [];
    for (const middle of [km.layers.lambda((x) => km.mul(x, km.sigmoid(x))), km.layers.activation({ activation: 'swish' })]) {
      const model = modelWith(middle);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      const history = await model.fit(xs, ys, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
      results.push({ losses: history.history.loss as number[], weights: model.getWeights().map((t) => t.dataSync() as Float32Array) });
    }
    results[0].losses.forEach((loss, epoch) => expect(loss).toBeCloseTo(results[1].losses[epoch], 5));
    expectGradientsClose(results[0].weights, results[1].weights.map((w) => Array.from(w)), ['k1', 'b1', 'k2', 'b2'], 1e-5);
  });

  it('takes options: a given outputShape, and a list of inputs', () => {
    const input = km.input({ shape: [3] });
    const joined = km.layers.lambda({ fn: (inputs: km.Tensor[]) => km.concat(inputs, -1), outputShape: [6], name: 'joined' }).apply([input, input]) as km.SymbolicTensor;
    expect(joined.shape).toEqual([6]);
    const model = km.model({ inputs: input, outputs: joined });
    expect((model.predict(km.tensor([[1, 2, 3]])) as km.Tensor).arraySync()).toEqual([[1, 2, 3, 1, 2, 3]]);
  });

  it('refuses to be saved, and a fn that is no function, naming the fix', async () => {
    const model = modelWith(km.layers.lambda({ fn: (x) => km.relu(x), name: 'my_lambda' }));
    await expect(model.save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))).rejects.toThrow(
      "Layer 'my_lambda' (Lambda) holds a function, which a model file cannot hold. To save the model, write the function as a km.layers.CallLayer subclass and register it with km.layers.registerLayer",
    );
    expect(() => km.layers.lambda({ fn: 'x => x' as never, name: 'bad' })).toThrow("Lambda layer 'bad': fn must be a function of km tensors, e.g. km.layers.lambda((x) => km.mul(x, 2)). Received: fn=string.");
  });
});
