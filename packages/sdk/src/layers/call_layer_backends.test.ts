// Custom layers written the TensorFlow.js way, call() with km ops: each checked against a model of
// kerasm's built-in layers (their own kernels) computing the same function, step by step, on every
// backend that runs here.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, runsOn } from '../testing/backends_here.js';
import { expectGradientsClose } from '../testing/sgd_gradients.js';
import { xs, ys } from '../testing/small_regression.js';

/** Dense with relu as tfjs' guide writes a custom layer: matMul, add, relu. */
class MyDense extends km.layers.CallLayer {
  readonly className = 'MyDense';
  readonly units: number;
  #kernel!: km.layers.LayerWeight;
  #bias!: km.layers.LayerWeight;

  constructor(args: km.layers.LayerArgs & { units: number }) {
    const { units, ...rest } = args;
    super(rest, 'MyDense');
    this.units = units;
  }

  override computeOutputShape([shape]: readonly km.layers.Shape[]): km.layers.Shape {
    return [this.units];
  }

  protected override build([shape]: readonly km.layers.Shape[]): void {
    this.#kernel = this.addWeight('kernel', [shape[0], this.units], 'glorotUniform');
    this.#bias = this.addWeight('bias', [this.units], 'glorotUniform');
  }

  call(x: km.Tensor): km.Tensor {
    return km.relu(x.matMul(this.#kernel.read()).add(this.#bias.read()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}

/** a · sigmoid(b), from two inputs, with nothing to train. */
class Gate extends km.layers.CallLayer {
  readonly className = 'Gate';
  constructor(args: km.layers.LayerArgs = {}) {
    super(args, 'Gate');
  }
  call([a, b]: km.Tensor[]): km.Tensor {
    return km.mul(a, km.sigmoid(b));
  }
}

const weightsOf = (weights: km.Tensor[]) => Promise.all(weights.map(async (t) => (await t.data()) as Float32Array));

/** Fits `model` (SGD) two epochs on xs → ys and returns its losses and final weights. */
async function trained(model: km.LayersModel, initial?: km.Tensor[]): Promise<{ losses: number[]; weights: Float32Array[] }> {
  if (initial) model.setWeights(initial);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const history = await model.fit(xs, ys, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
  return { losses: history.history.loss as number[], weights: await weightsOf(model.getWeights()) };
}

describe.each(BACKENDS_HERE)('a CallLayer on backend %s', (name) => {
  runsOn(name, () => {});

  it.skipIf(name === 'tfjs-webgpu')('a Dense written with matMul, add and relu trains as km.layers.dense does', async () => {
    km.utils.setRandomSeed(5);
    const builtIn = km.sequential([km.layers.dense({ units: 4, activation: 'relu', inputShape: [3], biasInitializer: 'glorotUniform' }), km.layers.dense({ units: 2 })]);
    const initial = builtIn.getWeights();
    const ours = km.sequential([new MyDense({ units: 4, inputShape: [3] }), km.layers.dense({ units: 2 })]);
    const reference = await trained(builtIn, initial);
    const result = await trained(ours, initial);
    result.losses.forEach((loss, epoch) => expect(loss).toBeCloseTo(reference.losses[epoch], 5));
    expectGradientsClose(result.weights, reference.weights.map((w) => Array.from(w)), ['kernel', 'bias', 'out/kernel', 'out/bias'], 1e-5);
  });

  it.skipIf(name === 'tfjs-webgpu')('a two-input layer passes each input its gradient, as multiply and a sigmoid activation do', async () => {
    km.utils.setRandomSeed(6);
    const gated = (gate: (a: km.SymbolicTensor, b: km.SymbolicTensor) => km.SymbolicTensor) => {
      const input = km.input({ shape: [3] });
      const a = km.layers.dense({ units: 2, name: 'a' }).apply(input) as km.SymbolicTensor;
      const b = km.layers.dense({ units: 2, name: 'b' }).apply(input) as km.SymbolicTensor;
      return km.model({ inputs: input, outputs: gate(a, b) });
    };
    const builtIn = gated((a, b) => km.layers.multiply().apply([a, km.layers.activation({ activation: 'sigmoid' }).apply(b) as km.SymbolicTensor]) as km.SymbolicTensor);
    const ours = gated((a, b) => new Gate().apply([a, b]) as km.SymbolicTensor);
    // By layer: the two models list their layers in different orders (b is deeper in the first).
    for (const layer of ['a', 'b']) ours.getLayer(layer).setWeights(builtIn.getLayer(layer).getWeights());
    const byLayer = (model: km.LayersModel) => weightsOf(['a', 'b'].flatMap((layer) => model.getLayer(layer).getWeights()));
    const reference = { ...(await trained(builtIn)), weights: await byLayer(builtIn) };
    const result = { ...(await trained(ours)), weights: await byLayer(ours) };
    result.losses.forEach((loss, epoch) => expect(loss).toBeCloseTo(reference.losses[epoch], 5));
    expectGradientsClose(result.weights, reference.weights.map((w) => Array.from(w)), ['a/kernel', 'a/bias', 'b/kernel', 'b/bias'], 1e-5);
  });

  it.runIf(name === 'tfjs-webgpu')('is refused where the backend cannot read synchronously, naming the ways out', async () => {
    const model = km.sequential([new MyDense({ units: 2, inputShape: [3], name: 'my_dense' })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow("Layer 'my_dense' (MyDense) computes with km ops on the host, so it reads each batch from the backend, but backend 'tfjs-webgpu' cannot read synchronously.");
  });
});

describe('a CallLayer', () => {
  it('gives an input its output does not read a zero gradient, and sees the training flag', async () => {
    const flags: boolean[] = [];
    class FirstOnly extends km.layers.CallLayer {
      readonly className = 'FirstOnly';
      constructor() {
        super({}, 'FirstOnly');
      }
      call([a]: km.Tensor[], { training }: km.layers.CallArgs): km.Tensor {
        flags.push(training);
        return a.mul(1);
      }
    }
    const input = km.input({ shape: [3] });
    const unread = km.layers.dense({ units: 2, name: 'unread' });
    const output = new FirstOnly().apply([km.layers.dense({ units: 2 }).apply(input) as km.SymbolicTensor, unread.apply(input) as km.SymbolicTensor]) as km.SymbolicTensor;
    const model = km.model({ inputs: input, outputs: output });
    const before = unread.getWeights().map((t) => Array.from(t.dataSync()));
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    await model.fit(xs, ys, { epochs: 1, batchSize: 5, verbose: 0 });
    expect(unread.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
    expect(flags).toContain(true);
    flags.length = 0;
    model.predict(xs);
    expect(flags).toEqual([false]);
  });

  it('saves and loads through registerLayer, predicting the same', async () => {
    km.layers.registerLayer('MyDense', (config) => new MyDense(config as unknown as km.layers.LayerArgs & { units: number }));
    const model = km.sequential([new MyDense({ units: 3, inputShape: [3] })]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(Array.from((loaded.predict(xs) as km.Tensor).dataSync())).toEqual(Array.from((model.predict(xs) as km.Tensor).dataSync()));
  });

  it('finds the output shape by running call once, where computeOutputShape is not overridden', () => {
    class Pairs extends km.layers.CallLayer {
      readonly className = 'Pairs';
      constructor() {
        super({}, 'Pairs');
      }
      call(a: km.Tensor): km.Tensor {
        return km.reshape(km.concat([a, a.square()], -1), [-1, 3, 2]);
      }
    }
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [3] }), new Pairs(), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    expect(model.layers[1].outputShape).toEqual([3, 2]);
    expect((model.predict(xs) as km.Tensor).shape).toEqual([6, 1]);
  });

  it('names the layer and the fix where call, run once to find the output shape, returns no batched tensor', () => {
    class Total extends km.layers.CallLayer {
      readonly className = 'Total';
      constructor() {
        super({ name: 'total' }, 'Total');
      }
      call(a: km.Tensor): km.Tensor {
        return a.sum();
      }
    }
    expect(() => km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), new Total()])).toThrow(
      "Layer 'total' (Total).call, run on one sample to find the output shape, returned a tensor of shape []: it must return a tensor with the batch first, synchronously. Override computeOutputShape to give the shape without running call.",
    );
  });

  it('names the layer, the shape call returned and the fix when it differs from computeOutputShape', () => {
    class Summed extends km.layers.CallLayer {
      readonly className = 'Summed';
      constructor() {
        super({ name: 'summed' }, 'Summed');
      }
      override computeOutputShape([shape]: readonly km.layers.Shape[]): km.layers.Shape {
        return shape;
      }
      call(a: km.Tensor): km.Tensor {
        return a.sum(-1);
      }
    }
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), new Summed()]);
    expect(() => model.predict(xs)).toThrow(
      "Layer 'summed' (Summed).call returned a float32 tensor of shape [6], but computeOutputShape gives a float32 output of shape [6, 2] (the batch first). Return it synchronously with that shape, or override computeOutputShape",
    );
  });
});
