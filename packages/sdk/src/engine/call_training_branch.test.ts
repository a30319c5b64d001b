import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

// A km.Model whose call branches on `training`, as Keras 3 runs it: the branch is taken in fit's
// training steps and nowhere else. The references are naive float64 loops over the weights read back.

beforeAll(async () => {
  await km.ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function values(n: number, random: Random): Float32Array {
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** Doubles its inputs in training only (a deterministic stand-in for an augmentation), then one Dense unit. */
class Doubled extends km.Model {
  readonly twice = km.layers.rescaling({ scale: 2 });
  readonly dense = km.layers.dense({ units: 1 });
  call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
    if (training) x = this.twice.apply(x);
    return this.dense.apply(x);
  }
}

/** A Dense unit's kernel and bias, read back. */
function denseWeights(layer: km.layers.Layer): { kernel: Float64Array; bias: number } {
  const [kernel, bias] = layer.getWeights();
  return { kernel: Float64Array.from(kernel.dataSync()), bias: bias.dataSync()[0] };
}

/** Rows of `d` values times `kernel` plus `bias`, each row scaled by `scale` first. */
function linear(x: Float32Array, d: number, { kernel, bias }: { kernel: Float64Array; bias: number }, scale = 1): number[] {
  return Array.from({ length: x.length / d }, (_, i) => kernel.reduce((sum, k, j) => sum + k * scale * x[i * d + j], bias));
}

/** Mean squared error of a linear unit on rows scaled by `scale`, and one SGD step's weights. */
function mseStep(x: Float32Array, y: Float32Array, d: number, w: { kernel: Float64Array; bias: number }, scale: number, learningRate: number) {
  const p = linear(x, d, w, scale);
  const n = p.length;
  const loss = p.reduce((sum, v, i) => sum + (v - y[i]) ** 2, 0) / n;
  const kernel = w.kernel.map((k, j) => k - learningRate * p.reduce((sum, v, i) => sum + (2 / n) * (v - y[i]) * scale * x[i * d + j], 0));
  const bias = w.bias - learningRate * p.reduce((sum, v, i) => sum + (2 / n) * (v - y[i]), 0);
  return { loss, after: { kernel, bias } };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

const trainingGraphOf = (model: km.LayersModel) => (model as unknown as { trainingGraph(): unknown }).trainingGraph();

describe.each(['wasm', 'tfjs-cpu'])('a km.Model whose call branches on training, on %s', (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });
  afterAll(async () => {
    await km.setBackend('wasm');
  });

  it('takes the branch in fit (the first step\'s loss and gradient are those of 2x) and not in predict', async () => {
    km.utils.setRandomSeed(1);
    const random = new Random(2);
    const [n, d] = [8, 3];
    const x = values(n * d, random);
    const y = values(n, random);
    const model = new Doubled();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    model.build([null, d]);
    const before = denseWeights(model.dense);
    const doubled = mseStep(x, y, d, before, 2, 0.1);
    const plain = mseStep(x, y, d, before, 1, 0.1);
    expect(Math.abs(doubled.loss - plain.loss)).toBeGreaterThan(1e-3); // the branch shows in the loss

    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(doubled.loss, 5);
    const after = denseWeights(model.dense);
    expectClose(after.kernel, doubled.after.kernel);
    expect(after.bias).toBeCloseTo(doubled.after.bias, 5);
    // predict, and apply on data, infer: no doubling.
    expectClose((model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(x, d, after));
    expectClose((model.apply(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(x, d, after));
    expectClose((model.apply(km.tensor(x, [n, d]), { training: true }) as km.Tensor).dataSync(), linear(x, d, after, 2));
  });
});

describe('a km.Model whose call branches on training', () => {
  it('keeps one graph where call does not branch, its layers given training following each pass', () => {
    km.utils.setRandomSeed(3);
    class Plain extends km.Model {
      readonly hidden = km.layers.dense({ units: 16 });
      readonly dropout = km.layers.dropout({ rate: 0.5 });
      readonly out = km.layers.dense({ units: 1 });
      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        return this.out.apply(this.dropout.apply(this.hidden.apply(x), { training }));
      }
    }
    const model = new Plain();
    model.build([null, 4]);
    expect(trainingGraphOf(model)).toBeNull();
    expect(model.layers).toEqual([model.hidden, model.dropout, model.out]);
    // One call recorded per layer: the traces not kept are forgotten.
    expect(model.hidden.output.shape).toEqual([16]);
    expect(() => model.hidden.getOutputAt(1)).toThrow(/out of range/);
    const lines: string[] = [];
    model.summary({ printFn: (line) => lines.push(line) });
    expect(lines.join('\n')).not.toMatch(/only when training/);
    // The kept graph leaves Dropout to the pass: it drops in a training pass, not in predict.
    const x = km.tensor(values(64 * 4, new Random(4)), [64, 4]);
    const hidden = km.model({ inputs: model.inputs, outputs: model.dropout.output });
    const inferred = (hidden.predict(x) as km.Tensor).dataSync();
    const trained = (hidden.apply(x, { training: true }) as km.Tensor).dataSync();
    expect(inferred.every((v) => v !== 0)).toBe(true);
    expect(trained.filter((v) => v === 0).length).toBeGreaterThan(inferred.length / 4);
    expect(Array.from((model.apply(x, { training: true }) as km.Tensor).dataSync())).not.toEqual(Array.from((model.predict(x) as km.Tensor).dataSync()));
  });

  it('tells a Lambda made in call that computes the same in every mode from one whose closure reads training', async () => {
    km.utils.setRandomSeed(19);
    class InlineOps extends km.Model {
      readonly dense = km.layers.dense({ units: 1 });
      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        const scale = training ? 2 : 1;
        const squared = km.layers.lambda((t: km.Tensor) => km.mul(t, t)).apply(x); // the same in every trace
        return this.dense.apply(km.layers.lambda((t: km.Tensor) => km.mul(t, scale)).apply(squared) as km.SymbolicTensor);
      }
    }
    class Squares extends km.Model {
      readonly dense = km.layers.dense({ units: 1 });
      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return this.dense.apply(km.layers.lambda((t: km.Tensor) => km.mul(t, t)).apply(x) as km.SymbolicTensor);
      }
    }
    const squares = new Squares();
    squares.build([null, 3]);
    expect(trainingGraphOf(squares)).toBeNull();
    expect(squares.layers.map((layer) => layer.className)).toEqual(['Lambda', 'Dense']);
    // The Lambdas the traces not kept made give their default names back.
    const [kept, next] = [squares.layers[0].name, km.layers.lambda((t: km.Tensor) => t).name];
    const counted = (name: string) => Number(/^lambda_(\d+)$/.exec(name)?.[1] ?? 0);
    expect(counted(next)).toBe(counted(kept) + 1);

    const random = new Random(20);
    const [n, d] = [6, 3];
    const [x, y] = [values(n * d, random), values(n, random)];
    const model = new InlineOps();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    model.build([null, d]);
    expect(trainingGraphOf(model)).not.toBeNull();
    const squared = x.map((v) => v * v);
    const step = mseStep(squared, y, d, denseWeights(model.dense), 2, 0.1);
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    expectClose((model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(squared, d, denseWeights(model.dense)));
  });

  it('trains a layer with weights applied only in training, lists and counts it, and predicts without it', async () => {
    km.utils.setRandomSeed(5);
    class AuxHead extends km.Model {
      readonly head = km.layers.dense({ units: 1, name: 'head' });
      readonly aux = km.layers.dense({ units: 1, name: 'aux' });
      readonly sum = km.layers.add({ name: 'sum' });
      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        const out = this.head.apply(x);
        return training ? this.sum.apply([out, this.aux.apply(x)]) : out;
      }
    }
    const random = new Random(6);
    const [n, d] = [10, 3];
    const x = values(n * d, random);
    const y = values(n, random);
    const model = new AuxHead();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    model.build([null, d]);
    expect(trainingGraphOf(model)).not.toBeNull();
    expect(model.layers).toEqual([model.head, model.aux, model.sum]);
    expect(model.getLayer('aux')).toBe(model.aux);
    // The layers' calls are the inference graph's: head's one, none of aux's.
    expect(model.head.output).toBe(model.outputs[0]);
    expect(() => model.aux.output).toThrow(/has not been called yet/);
    expect(model.getWeights()).toHaveLength(4);
    expect(model.countParams()).toBe(8);
    const lines: string[] = [];
    model.summary({ printFn: (line) => lines.push(line) });
    expect(lines.join('\n')).toMatch(/Applied only when training: aux \(Dense, 4 params\), sum \(Add, 0 params\)/);
    expect(lines.join('\n')).toMatch(/Total params: 8/);

    const head = denseWeights(model.head);
    const aux = denseWeights(model.aux);
    // The training forward pass is head(x) + aux(x): one linear unit with the weights summed.
    const summed = { kernel: head.kernel.map((k, j) => k + aux.kernel[j]), bias: head.bias + aux.bias };
    const { loss } = mseStep(x, y, d, summed, 1, 0);
    const residual = linear(x, d, summed).map((p, i) => (2 / n) * (p - y[i]));
    const gradKernel = head.kernel.map((_, j) => residual.reduce((sum, r, i) => sum + r * x[i * d + j], 0));
    const gradBias = residual.reduce((sum, r) => sum + r, 0);
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(loss, 5);
    // Both heads get the same gradient, as each adds its unit to the output.
    for (const [layer, was] of [[model.head, head], [model.aux, aux]] as const) {
      const now = denseWeights(layer);
      expectClose(now.kernel, was.kernel.map((k, j) => k - 0.2 * gradKernel[j]));
      expect(now.bias).toBeCloseTo(was.bias - 0.2 * gradBias, 5);
    }
    expectClose((model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(x, d, denseWeights(model.head)));

    // The file is the inference graph: it cannot hold aux's weights, so save refuses, naming the way out.
    await expect(savedArtifacts(model)).rejects.toThrow(/applies 'aux' \(Dense\), 'sum' \(Add\) only when training.*km\.model\(\{ inputs: model\.inputs, outputs: model\.outputs \}\)/);
    await expect(model.saveWeights(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))).rejects.toThrow(/only when training/);
    const inference = km.model({ inputs: model.inputs, outputs: model.outputs });
    const loaded = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(inference, false)));
    expectClose((loaded.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), (model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync());
  });

  it('validates and evaluates with the inference graph: val_loss is evaluate\'s loss, without the branch', async () => {
    km.utils.setRandomSeed(7);
    const random = new Random(8);
    const [n, d] = [12, 3];
    const [x, y, xv, yv] = [values(n * d, random), values(n, random), values(6 * d, random), values(6, random)];
    const model = new Doubled();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0, validationData: [km.tensor(xv, [6, d]), km.tensor(yv, [6, 1])] });
    const after = denseWeights(model.dense);
    const expected = mseStep(xv, yv, d, after, 1, 0).loss;
    expect(Math.abs(expected - mseStep(xv, yv, d, after, 2, 0).loss)).toBeGreaterThan(1e-3);
    expect(history.history.val_loss[0]).toBeCloseTo(expected, 5);
    const [loss] = (await model.evaluate(km.tensor(xv, [6, d]), km.tensor(yv, [6, 1]), { verbose: 0 })) as number[];
    expect(loss).toBeCloseTo(expected, 5);
    expect(await model.testOnBatch(km.tensor(xv, [6, d]), km.tensor(yv, [6, 1]))).toBeCloseTo(expected, 5);
    // trainOnBatch is a training step: its loss (before the update) is the branch's.
    expect(await model.trainOnBatch(km.tensor(xv, [6, d]), km.tensor(yv, [6, 1]))).toBeCloseTo(mseStep(xv, yv, d, after, 2, 0).loss, 5);
    // validationSplit too: the held-out part goes through the inference graph.
    const split = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0, validationSplit: 0.5 });
    expect(split.history.val_loss[0]).toBeCloseTo(mseStep(x.slice(6 * d), y.slice(6), d, denseWeights(model.dense), 1, 0).loss, 5);
  });

  it('fit(dataset) trains with the branch and validates a validation dataset without it', async () => {
    km.utils.setRandomSeed(17);
    const random = new Random(18);
    const [n, d] = [8, 3];
    const [x, y, xv, yv] = [values(n * d, random), values(n, random), values(4 * d, random), values(4, random)];
    const batches = (xs: Float32Array, ys: Float32Array, rows: number) => km.data.array([{ xs: km.tensor(xs, [rows, d]), ys: km.tensor(ys, [rows, 1]) }]);
    const model = new Doubled();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    model.build([null, d]);
    const step = mseStep(x, y, d, denseWeights(model.dense), 2, 0.1);
    const history = await model.fit(batches(x, y, n), { epochs: 1, verbose: 0, validationData: batches(xv, yv, 4) });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    expect(history.history.val_loss[0]).toBeCloseTo(mseStep(xv, yv, d, denseWeights(model.dense), 1, 0).loss, 5);
    const [loss] = (await model.evaluate(batches(xv, yv, 4), { verbose: 0 })) as number[];
    expect(loss).toBeCloseTo(history.history.val_loss[0], 6);
  });

  it('saves its inference graph, which loads and predicts as the model does, and says the training branch is left out', async () => {
    km.utils.setRandomSeed(9);
    const random = new Random(10);
    const x = km.tensor(values(5 * 3, random), [5, 3]);
    const model = new Doubled();
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(x, km.tensor(values(5, random), [5, 1]), { epochs: 2, verbose: 0 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const loaded = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(model)));
    expect(warn.mock.calls.map(([m]) => String(m)).join('\n')).toMatch(/saved as its inference graph.*without '.*' \(Rescaling\)/);
    expect(loaded.layers.map((layer) => layer.className)).toEqual(['InputLayer', 'Dense']);
    expectClose((loaded.predict(x) as km.Tensor).dataSync(), (model.predict(x) as km.Tensor).dataSync());
    expect(model.toJSON()).not.toMatch(/Rescaling/);
  });

  it('branches on inputs of unknown size (build([null, null, 3])), each batch length on its graph', async () => {
    km.utils.setRandomSeed(11);
    const random = new Random(12);
    const [n, steps, d] = [4, 5, 3];
    const x = values(n * steps * d, random);
    const y = values(n * steps, random);
    const model = new Doubled();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    model.build([null, null, d]);
    expect(model.inputShape).toEqual([null, d]);
    const before = denseWeights(model.dense);
    // Each position is a row of the Dense unit; the loss is the mean over all of them.
    const step = mseStep(x, y, d, before, 2, 0.1);
    const history = await model.fit(km.tensor(x, [n, steps, d]), km.tensor(y, [n, steps, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    const after = denseWeights(model.dense);
    expectClose(after.kernel, step.after.kernel);
    const longer = values(2 * 7 * d, random);
    expectClose((model.predict(km.tensor(longer, [2, 7, d])) as km.Tensor).dataSync(), linear(longer, d, after));
    expectClose((model.apply(km.tensor(longer, [2, 7, d]), { training: true }) as km.Tensor).dataSync(), linear(longer, d, after, 2));
  });

  it('runs the training graph in a trainStep that applies the model with training true', async () => {
    km.utils.setRandomSeed(13);
    class OwnStep extends Doubled {
      override trainStep([x, y]: km.StepData): km.StepLogs {
        const { value, grads } = km.variableGrads(() => km.losses.meanSquaredError(y as km.Tensor, this.apply(x as km.Tensor, { training: true }) as km.Tensor), this.trainableWeights);
        this.optimizer!.applyGradients(grads);
        return { loss: value };
      }
    }
    const random = new Random(14);
    const [n, d] = [6, 3];
    const [x, y] = [values(n * d, random), values(n, random)];
    const model = new OwnStep();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }) });
    model.build([null, d]);
    const step = mseStep(x, y, d, denseWeights(model.dense), 2, 0.1);
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    const after = denseWeights(model.dense);
    expectClose(after.kernel, step.after.kernel);
    expect(after.bias).toBeCloseTo(step.after.bias, 5);
  });

  it('a subclass applied in another\'s call follows the mode that call is traced for', async () => {
    km.utils.setRandomSeed(15);
    class Outer extends km.Model {
      readonly inner = new Doubled();
      call(x: km.SymbolicTensor): km.SymbolicTensor {
        return this.inner.apply(x) as km.SymbolicTensor;
      }
    }
    const random = new Random(16);
    const [n, d] = [6, 3];
    const [x, y] = [values(n * d, random), values(n, random)];
    const model = new Outer();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    model.build([null, d]);
    expect(trainingGraphOf(model)).not.toBeNull();
    const step = mseStep(x, y, d, denseWeights(model.inner.dense), 2, 0.1);
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    expectClose((model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(x, d, denseWeights(model.inner.dense)));
  });

  it('a subclass applied inside km.model without a mode takes its branch in the functional model\'s fit, not in its predict', async () => {
    km.utils.setRandomSeed(21);
    const random = new Random(22);
    const [n, d] = [6, 3];
    const [x, y] = [values(n * d, random), values(n, random)];
    const block = new Doubled();
    const input = km.input({ shape: [d] });
    const head = km.layers.dense({ units: 1, kernelInitializer: 'ones', trainable: false });
    const model = km.model({ inputs: input, outputs: head.apply(block.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    expect(trainingGraphOf(model)).not.toBeNull();
    expect(model.layers.map((entry) => entry.name)).toEqual([input.name, block.name, head.name]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    // The frozen head adds the block's output to its zero bias: the model is the block's Dense unit.
    const step = mseStep(x, y, d, denseWeights(block.dense), 2, 0.1);
    const history = await model.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(step.loss, 5);
    expectClose(denseWeights(block.dense).kernel, step.after.kernel);
    expectClose((model.predict(km.tensor(x, [n, d])) as km.Tensor).dataSync(), linear(x, d, denseWeights(block.dense)));
    expectClose((model.apply(km.tensor(x, [n, d]), { training: true }) as km.Tensor).dataSync(), linear(x, d, denseWeights(block.dense), 2));

    // Applied with training false, it keeps its inference branch in fit too, as in Keras.
    const fixedInput = km.input({ shape: [d] });
    const fixed = km.model({ inputs: fixedInput, outputs: block.apply(fixedInput, { training: false }) as km.SymbolicTensor });
    expect(trainingGraphOf(fixed)).toBeNull();
    fixed.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const plain = mseStep(x, y, d, denseWeights(block.dense), 1, 0.1);
    const fixedHistory = await fixed.fit(km.tensor(x, [n, d]), km.tensor(y, [n, 1]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(fixedHistory.history.loss[0]).toBeCloseTo(plain.loss, 5);
    // The block's layers keep one call each in the functional models' own graphs.
    expect(() => block.dense.getOutputAt(4)).toThrow(/out of range/);
  });

  it('refuses, naming the fix, a call whose modes return other outputs or make a layer with weights', () => {
    class OtherShapes extends km.Model {
      readonly a = km.layers.dense({ units: 2 });
      readonly b = km.layers.dense({ units: 3 });
      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        return training ? this.a.apply(x) : this.b.apply(x);
      }
    }
    expect(() => new OtherShapes().build([null, 4])).toThrow(/with training true it returns 1 of shape \[2\], with training false 1 of shape \[3\]/);
    class MadeInCall extends km.Model {
      readonly noise = km.layers.gaussianNoise({ stddev: 0.1 });
      call(x: km.SymbolicTensor, { training }: km.ModelCallArgs): km.SymbolicTensor {
        return km.layers.dense({ units: 1, name: `made_${training}` }).apply(training ? this.noise.apply(x) : x);
      }
    }
    expect(() => new MadeInCall().build([null, 4])).toThrow(/makes 'made_true' \(Dense\), 'made_false' \(Dense\) inside call.*as a field of the model/);
  });
});
