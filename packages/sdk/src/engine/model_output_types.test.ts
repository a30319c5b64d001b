// What predict and apply return is typed from the outputs a model was built with, so a TypeScript
// user needs no cast: checked by `tsc -p tsconfig.test.json` (expectTypeOf), and at run time that
// the values have the structure the types claim.
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as km from '../index.js';

type F32 = km.Tensor<'float32'>;

beforeAll(async () => {
  await km.ready();
});

const N = 3;
const x = km.tensor(Array.from({ length: N * 4 }, (_, i) => (i % 7) / 7), [N, 4]);

/** input [4] -> hidden [5] -> class head [3] and value head [1]. */
function heads() {
  const input = km.input({ shape: [4] });
  const hidden = km.layers.dense({ units: 5, activation: 'tanh' }).apply(input);
  const classes = km.layers.dense({ units: 3, activation: 'softmax' }).apply(hidden);
  const value = km.layers.dense({ units: 1 }).apply(hidden);
  return { input, classes, value };
}

describe('predict is typed from the outputs', () => {
  it('km.sequential: one tensor', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [4] })]);
    expectTypeOf(model).toMatchTypeOf<km.LayersModel<F32>>();
    const y = model.predict(x);
    expectTypeOf(y).toEqualTypeOf<F32>();
    expectTypeOf(model.predictOnBatch(x)).toEqualTypeOf<F32>();
    expect(y).toBeInstanceOf(km.Tensor);
    expect(y.shape).toEqual([N, 2]);
  });

  it('km.model with one symbolic output, or a list of one: one tensor', () => {
    const { input, classes } = heads();
    const single = km.model({ inputs: input, outputs: classes });
    expectTypeOf(single).toEqualTypeOf<km.Functional<F32>>();
    expectTypeOf(single.predict(x)).toEqualTypeOf<F32>();
    expect(single.predict(x).shape).toEqual([N, 3]);
    // A list of one gives the tensor itself, as tfjs' predict does.
    const listOfOne = km.model({ inputs: input, outputs: [classes] });
    const y = listOfOne.predict(x);
    expectTypeOf(y).toEqualTypeOf<F32>();
    expect(y).toBeInstanceOf(km.Tensor);
    expect(y.shape).toEqual([N, 3]);
  });

  it('km.model with a list of outputs: a tuple of the same length', () => {
    const { input, classes, value } = heads();
    const model = km.model({ inputs: input, outputs: [classes, value] });
    expectTypeOf(model).toEqualTypeOf<km.Functional<[F32, F32]>>();
    const [probabilities, estimate] = model.predict(x, { batchSize: 2 });
    expectTypeOf(model.predict(x)).toEqualTypeOf<[F32, F32]>();
    expectTypeOf(model.predictOnBatch(x)).toEqualTypeOf<[F32, F32]>();
    expectTypeOf(probabilities).toEqualTypeOf<F32>();
    const out = model.predict(x);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toHaveLength(2);
    expect(probabilities.shape).toEqual([N, 3]);
    expect(estimate.shape).toEqual([N, 1]);
    const onBatch = model.predictOnBatch(x);
    expect(onBatch.map((t) => t.shape)).toEqual([[N, 3], [N, 1]]);
    // Softmax rows sum to 1: these really are the class head's values, in output order.
    const rows = probabilities.arraySync() as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('km.model with named outputs: an object with the same keys', () => {
    const { input, classes, value } = heads();
    const model = km.model({ inputs: input, outputs: { digit: classes, size: value } });
    expectTypeOf(model).toEqualTypeOf<km.Functional<{ digit: F32; size: F32 }>>();
    const { digit, size } = model.predict(x);
    expectTypeOf(model.predict(x)).toEqualTypeOf<{ digit: F32; size: F32 }>();
    expectTypeOf(model.predictOnBatch(x)).toEqualTypeOf<{ digit: F32; size: F32 }>();
    expect(Object.keys(model.predict(x))).toEqual(['digit', 'size']);
    expect(digit.shape).toEqual([N, 3]);
    expect(size.shape).toEqual([N, 1]);
  });

  it('outputs in an object of unknown keys: an object of tensors', () => {
    const { input, classes, value } = heads();
    const named: Record<string, km.SymbolicTensor> = { digit: classes, size: value };
    const model = km.model({ inputs: input, outputs: named });
    const y = model.predict(x);
    expectTypeOf(y).toEqualTypeOf<{ [name: string]: F32 }>();
    expect(Object.keys(y)).toEqual(['digit', 'size']);
    expect(y.size.shape).toEqual([N, 1]);
  });

  it('km.PredictedOutputs names the mapping from outputs to what predict returns', () => {
    expectTypeOf<km.PredictedOutputs<km.SymbolicTensor>>().toEqualTypeOf<F32>();
    expectTypeOf<km.PredictedOutputs<[km.SymbolicTensor]>>().toEqualTypeOf<F32>();
    expectTypeOf<km.PredictedOutputs<readonly [km.SymbolicTensor, km.SymbolicTensor, km.SymbolicTensor]>>().toEqualTypeOf<[F32, F32, F32]>();
    expectTypeOf<km.PredictedOutputs<{ readonly a: km.SymbolicTensor }>>().toEqualTypeOf<{ a: F32 }>();
    expectTypeOf<km.PredictedOutputs<km.SymbolicTensor[]>>().toEqualTypeOf<km.ModelOutputs>();
    expectTypeOf<km.PredictedOutputs<km.SymbolicOutputs>>().toEqualTypeOf<km.ModelOutputs>();
  });

  it('a list of unknown length, or a model loaded from a file, keeps the types predict had', () => {
    const { input, classes, value } = heads();
    const outputs: km.SymbolicTensor[] = [classes, value];
    const model = km.model({ inputs: input, outputs });
    expectTypeOf(model).toEqualTypeOf<km.Functional<km.ModelOutputs>>();
    expectTypeOf(model).toEqualTypeOf<km.Functional>();
    // As before: a tensor unless told otherwise, for both.
    expectTypeOf(model.predict(x)).toEqualTypeOf<F32>();
    const [a, b] = model.predict<km.Tensor[]>(x);
    expect([a.shape, b.shape]).toEqual([[N, 3], [N, 1]]);
    expectTypeOf(km.loadLayersModel).returns.resolves.toEqualTypeOf<km.LayersModel>();
    expectTypeOf<km.LayersModel>().toEqualTypeOf<km.LayersModel<km.ModelOutputs>>();
    const loadedCalls = (loaded: km.LayersModel) => ({ predict: loaded.predict(x), onBatch: loaded.predictOnBatch(x), list: loaded.predict<km.Tensor[]>(x) });
    expectTypeOf(loadedCalls).returns.toEqualTypeOf<{ predict: F32; onBatch: F32; list: km.Tensor[] }>();
  });

  it("a known model's result is not taken for another form where it goes; an unknown one's is, as tfjs casts need", () => {
    const { input, classes, value } = heads();
    const twoHeads = km.model({ inputs: input, outputs: [classes, value] });
    const sequential = km.sequential([km.layers.dense({ units: 2, inputShape: [4] })]);
    const takesOne = (t: km.Tensor) => t.shape;
    // @ts-expect-error two outputs are not one tensor (at run time this is a list)
    const one: km.Tensor = twoHeads.predict(x);
    // @ts-expect-error nor cast to one (tfjs' habit)
    expect(Array.isArray(twoHeads.predict(x) as km.Tensor)).toBe(true);
    // @ts-expect-error nor one tensor's argument
    takesOne(twoHeads.predictOnBatch(x));
    // @ts-expect-error one output is not a list
    const list: km.Tensor[] = sequential.predict(x);
    expect([Array.isArray(one), Array.isArray(list)]).toEqual([true, false]);
    const loaded: km.LayersModel = twoHeads;
    const cast = loaded.predict(x) as km.Tensor[];
    const assigned: km.Tensor[] = loaded.predict(x);
    expect(cast.map((t) => t.shape)).toEqual([[N, 3], [N, 1]]);
    expect(assigned).toHaveLength(2);
  });

  it('a clone (km.models.cloneModel) is typed as its model', () => {
    const { input, classes, value } = heads();
    const clone = km.models.cloneModel(km.model({ inputs: input, outputs: [classes, value] }));
    expectTypeOf(clone).toEqualTypeOf<km.LayersModel<[F32, F32]>>();
    const [a, b] = clone.predict(x);
    expect([a.shape, b.shape]).toEqual([[N, 3], [N, 1]]);
    expectTypeOf(km.models.cloneModel(km.sequential([km.layers.dense({ units: 2, inputShape: [4] })])).predict(x)).toEqualTypeOf<F32>();
  });

  it('still takes the type given, as code written before the typed outputs does', () => {
    const { input, classes, value } = heads();
    const listModel = km.model({ inputs: input, outputs: [classes, value] });
    const namedModel = km.model({ inputs: input, outputs: { digit: classes, size: value } });
    expectTypeOf(listModel.predict<km.Tensor[]>(x)).toEqualTypeOf<km.Tensor[]>();
    expectTypeOf(namedModel.predict<Record<string, km.Tensor>>(x)).toEqualTypeOf<Record<string, km.Tensor>>();
    expectTypeOf(namedModel.predictOnBatch<Record<string, km.Tensor>>(x)).toEqualTypeOf<Record<string, km.Tensor>>();
    expect(namedModel.predict<Record<string, km.Tensor>>(x).digit.shape).toEqual([N, 3]);
  });
});

describe('apply is typed from the outputs', () => {
  it('on symbolic tensors gives the same form of symbolic tensors, which a new model carries on', () => {
    const { input, classes, value } = heads();
    const listModel = km.model({ inputs: input, outputs: [classes, value] });
    const namedModel = km.model({ inputs: input, outputs: { digit: classes, size: value } });
    const outer = km.input({ shape: [4] });
    const listed = listModel.apply(outer);
    expectTypeOf(listed).toEqualTypeOf<[km.SymbolicTensor, km.SymbolicTensor]>();
    expect(listed.map((t) => t.shape)).toEqual([[3], [1]]);
    const named = namedModel.apply(outer);
    expectTypeOf(named).toEqualTypeOf<{ digit: km.SymbolicTensor; size: km.SymbolicTensor }>();
    expect(named.size.shape).toEqual([1]);
    const single = km.model({ inputs: input, outputs: classes }).apply(outer);
    expectTypeOf(single).toEqualTypeOf<km.SymbolicTensor>();
    expect(single).toBeInstanceOf(km.SymbolicTensor);

    const wrapped = km.model({ inputs: outer, outputs: listModel.apply(outer) });
    expectTypeOf(wrapped).toEqualTypeOf<km.Functional<[F32, F32]>>();
    expect(wrapped.predict(x).map((t) => t.shape)).toEqual([[N, 3], [N, 1]]);
  });

  it('on data gives the same form of tensors', () => {
    const { input, classes, value } = heads();
    const listModel = km.model({ inputs: input, outputs: [classes, value] });
    const namedModel = km.model({ inputs: input, outputs: { digit: classes, size: value } });
    const listed = listModel.apply(x);
    expectTypeOf(listed).toEqualTypeOf<[F32, F32]>();
    expect(listed.map((t) => t.shape)).toEqual([[N, 3], [N, 1]]);
    const named = namedModel.apply(x, { training: false });
    expectTypeOf(named).toEqualTypeOf<{ digit: F32; size: F32 }>();
    expect(named.digit.shape).toEqual([N, 3]);
  });

  it('a model typed km.LayersModel keeps the types apply had', () => {
    const calls = (loaded: km.LayersModel, functional: km.Functional, t: km.SymbolicTensor) => ({
      symbolic: loaded.apply(t),
      data: loaded.apply(x),
      named: loaded.apply<Record<string, km.SymbolicTensor>>(t),
      functional: functional.apply(t),
      // A layer takes what such a model's apply gives, as before.
      layer: km.layers.dense({ units: 2 }).apply(loaded.apply(t)),
    });
    expectTypeOf(calls).returns.toEqualTypeOf<{
      symbolic: km.SymbolicTensor | km.SymbolicTensor[];
      data: km.Tensor | km.Tensor[];
      named: Record<string, km.SymbolicTensor>;
      functional: km.SymbolicTensor | km.SymbolicTensor[];
      layer: km.SymbolicTensor;
    }>();
  });
});

describe('typed models are still models', () => {
  it('go where a km.LayersModel, a km.Functional or a layer list is expected', () => {
    const { input, classes, value } = heads();
    const models: km.LayersModel[] = [
      km.model({ inputs: input, outputs: classes }),
      km.model({ inputs: input, outputs: [classes, value] }),
      km.model({ inputs: input, outputs: { digit: classes, size: value } }),
      km.sequential([km.layers.dense({ units: 2, inputShape: [4] })]),
    ];
    const functional: km.Functional = km.model({ inputs: input, outputs: [classes, value] });
    const stacked = km.sequential([km.layers.dense({ units: 4, inputShape: [4] }), models[3]]);
    // A layer or a model from a list of both applies as either did.
    const entries: (km.layers.Layer | km.LayersModel)[] = [km.layers.dense({ units: 2 }), models[1]];
    const applied = entries[1].apply(km.input({ shape: [4] }));
    expectTypeOf(applied).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
    expect(applied).toHaveLength(2);
    expectTypeOf(stacked).toEqualTypeOf<km.Sequential>();
    expect(models.map((m) => m.outputNames.length)).toEqual([1, 2, 2, 1]);
    expect(functional.outputs).toHaveLength(2);
    expect(stacked.predict(x).shape).toEqual([N, 2]);
  });

  it("evaluate's list does not depend on the outputs: always [loss, ...]", async () => {
    const { input, classes, value } = heads();
    const model = km.model({ inputs: input, outputs: [classes, value] });
    model.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'] });
    const labels = km.tensor([0, 1, 2], [N], 'int32');
    const targets = km.tensor([[0.5], [0], [1]]);
    const result = await model.evaluate(x, [labels, targets], { verbose: 0 });
    expectTypeOf(result).toEqualTypeOf<km.LossAndMetrics>();
    expect(result).toHaveLength(3); // loss, each output's loss
    expect(result[0]).toBeCloseTo(result[1] + result[2], 5);
  });
});
