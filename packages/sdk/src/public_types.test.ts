// The types a TypeScript user sees, checked by `tsc -p tsconfig.test.json`: each expectTypeOf
// below failed to compile before the types carried what the runtime gives (the dtype of a created
// tensor, the loss always first in evaluate's list, the LayersModel behind `Callback.model`, ...).
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as km from './index.js';

type List = [number, ...number[]];
/** The keys a type names, not those of its index signature: what stays defined under noUncheckedIndexedAccess. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

describe('tensor creation keeps the dtype in the type', () => {
  it('km.tensor: float32 for numbers and Float32Array, int32 for Int32Array, else the dtype given', () => {
    expectTypeOf(km.tensor([[1, 2], [3, 4]])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.tensor(3)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.tensor(new Float32Array(6), [2, 3])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.tensor(new Int32Array([1, 2, 3]))).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.tensor([new Int32Array([1, 2]), new Int32Array([3, 4])])).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.tensor([1, 2, 3], [3], 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.tensor(new Int32Array(2), undefined, 'float32')).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.tensor([1, 2], [2], 'int32').dataSync()).toEqualTypeOf<Int32Array>();
    const dtype: km.DType = 'int32';
    expectTypeOf(km.tensor([1], undefined, dtype as km.DType)).toEqualTypeOf<km.Tensor>();
    // The runtime agrees.
    expect(km.tensor([[1, 2], [3, 4]]).dtype).toBe('float32');
    expect(km.tensor(new Int32Array([1, 2, 3])).dtype).toBe('int32');
    expect(km.tensor([new Int32Array([1, 2]), new Int32Array([3, 4])]).dtype).toBe('int32');
    expect(km.tensor([1, 2, 3], [3], dtype).dtype).toBe('int32');
  });

  it('tensor1d..tensor4d: the dtype, and the rank in shape and arraySync', () => {
    expectTypeOf(km.tensor1d([0, 2, 1], 'int32')).toEqualTypeOf<km.Tensor1D<'int32'>>();
    expectTypeOf(km.tensor1d([0, 2, 1])).toEqualTypeOf<km.Tensor1D<'float32'>>();
    const t = km.tensor2d([[1, 2, 3], [4, 5, 6]]);
    expectTypeOf(t).toEqualTypeOf<km.Tensor2D<'float32'>>();
    expectTypeOf(t).toMatchTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(t.shape).toEqualTypeOf<readonly [number, number]>();
    expectTypeOf(t.arraySync()).toEqualTypeOf<number[][]>();
    expectTypeOf(t.array()).resolves.toEqualTypeOf<number[][]>();
    expectTypeOf(t.dataSync()).toEqualTypeOf<Float32Array>();
    expectTypeOf(km.tensor2d(new Int32Array(4), [2, 2])).toEqualTypeOf<km.Tensor2D<'int32'>>();
    expectTypeOf(km.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32')).toEqualTypeOf<km.Tensor3D<'int32'>>();
    expectTypeOf(km.tensor4d(new Float32Array(4), [1, 2, 2, 1]).arraySync()).toEqualTypeOf<number[][][][]>();
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(km.tensor2d(new Int32Array(4), [2, 2]).dtype).toBe('int32');
  });

  it('zeros, ones, fill, oneHot, range, linspace and the random draws', () => {
    expectTypeOf(km.zeros([2])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.zeros([2], 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.ones([2])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.ones([2], 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.fill([2], 1)).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.fill([2], -1, 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.zerosLike(km.zeros([2], 'int32'))).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.onesLike(km.zeros([2]))).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.oneHot([0, 2], 3)).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.oneHot([0, 2], 3, 1, 0, 'float32').dataSync()).toEqualTypeOf<Float32Array>();
    expectTypeOf(km.range(0, 5)).toEqualTypeOf<km.Tensor1D<'float32'>>();
    expectTypeOf(km.range(0, 5, 1, 'int32').arraySync()).toEqualTypeOf<number[]>();
    expectTypeOf(km.linspace(0, 1, 5)).toEqualTypeOf<km.Tensor1D<'float32'>>();
    expectTypeOf(km.randomNormal([2])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.randomNormal([2], 0, 1, 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.truncatedNormal([2])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.randomUniform([2])).toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf(km.randomUniform([2], 0, 10, 'int32')).toEqualTypeOf<km.Tensor<'int32'>>();
    for (const [made, dtype] of [[km.zeros([2]), 'float32'], [km.ones([2], 'int32'), 'int32'], [km.oneHot([0, 2], 3), 'int32'], [km.range(0, 5), 'float32'], [km.randomNormal([2]), 'float32'], [km.randomUniform([2]), 'float32']] as const) {
      expect(made.dtype).toBe(dtype);
    }
  });

  it('padSequences is int32 unless dtype float32 is asked for; buffers keep theirs', () => {
    expectTypeOf(km.utils.padSequences([[1], [2, 3]])).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.utils.padSequences([[1], [2, 3]], { maxlen: 4, padding: 'post' })).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.utils.padSequences([[0.5]], { dtype: 'float32' })).toEqualTypeOf<km.Tensor<'float32'>>();
    const options: km.utils.PadSequencesOptions = { dtype: 'float32' };
    expectTypeOf(km.utils.padSequences([[0.5]], options)).toEqualTypeOf<km.Tensor>();
    expectTypeOf(km.buffer([2], 'int32').toTensor()).toEqualTypeOf<km.Tensor<'int32'>>();
    expectTypeOf(km.tensor([1, 2]).bufferSync().toTensor()).toEqualTypeOf<km.Tensor<'float32'>>();
    expect(km.utils.padSequences([[1], [2, 3]]).dtype).toBe('int32');
    expect(km.utils.padSequences([[0.5]], { dtype: 'float32' }).dtype).toBe('float32');
  });
});

/** Calls never made: only their types are checked. */
function typedModelCalls(model: km.LayersModel, x: km.Tensor, y: km.Tensor, flag: boolean, options: km.ModelEvaluateArgs) {
  return {
    list: () => model.evaluate(x, y),
    quiet: () => model.evaluate(x, y, { verbose: 0, batchSize: 8 }),
    noDict: () => model.evaluate(x, y, { returnDict: false }),
    dict: () => model.evaluate(x, y, { returnDict: true }),
    maybeDict: () => model.evaluate(x, y, { returnDict: flag }),
    typedOptions: () => model.evaluate(x, y, options),
    dataset: () => model.evaluateDataset(km.data.array([{ xs: x, ys: y }])),
    train: () => model.trainOnBatch(x, y),
    test: () => model.testOnBatch(x, y, { returnDict: true }),
    trainMaybeDict: () => model.trainOnBatch(x, y, { returnDict: flag }),
    sequentialOnData: (s: km.Sequential) => s.apply(x),
  };
}

describe('evaluate, trainOnBatch and testOnBatch', () => {
  it('type the list with its loss always there, and the object when returnDict may be true', () => {
    type Calls = ReturnType<typeof typedModelCalls>;
    expectTypeOf<Awaited<ReturnType<Calls['list']>>>().toEqualTypeOf<List>();
    expectTypeOf<Awaited<ReturnType<Calls['quiet']>>>().toEqualTypeOf<List>();
    expectTypeOf<Awaited<ReturnType<Calls['noDict']>>>().toEqualTypeOf<List>();
    expectTypeOf<Awaited<ReturnType<Calls['dict']>>>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<Awaited<ReturnType<Calls['maybeDict']>>>().toEqualTypeOf<List | Record<string, number>>();
    expectTypeOf<Awaited<ReturnType<Calls['typedOptions']>>>().toEqualTypeOf<List | Record<string, number>>();
    expectTypeOf<Awaited<ReturnType<Calls['dataset']>>>().toEqualTypeOf<List>();
    expectTypeOf<Awaited<ReturnType<Calls['train']>>>().toEqualTypeOf<number | List>();
    expectTypeOf<Awaited<ReturnType<Calls['test']>>>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<Awaited<ReturnType<Calls['trainMaybeDict']>>>().toEqualTypeOf<number | List | Record<string, number>>();
    expectTypeOf<ReturnType<Calls['sequentialOnData']>>().toEqualTypeOf<km.Tensor<'float32'>>();
    expectTypeOf<km.EvaluateResult<{ returnDict: boolean; verbose: 0 }>>().toEqualTypeOf<List | Record<string, number>>();
  });
});

describe('models and callbacks', () => {
  it('a Sequential model applied to one symbolic tensor gives one', () => {
    const encoder = km.sequential([km.layers.dense({ units: 4, inputShape: [8] })]);
    const code = encoder.apply(km.input({ shape: [8] }));
    expectTypeOf(code).toEqualTypeOf<km.SymbolicTensor>();
    expect(code).toBeInstanceOf(km.SymbolicTensor);
    expect(code.shape).toEqual([4]);
    expectTypeOf(km.layers.dense({ units: 2 }).apply(code)).toEqualTypeOf<km.SymbolicTensor>();
  });

  it('Callback.model is the LayersModel, and training logs always hold the loss', () => {
    class PredictEachEpoch extends km.callbacks.Callback {
      override onEpochEnd(_epoch: number, logs: km.TrainLogs): void {
        expectTypeOf(this.model).toEqualTypeOf<km.LayersModel>();
        expectTypeOf(this.model.predict).toBeFunction();
        expectTypeOf(this.model.getWeights()).toEqualTypeOf<km.Tensor<'float32'>[]>();
        expectTypeOf(logs.loss).toEqualTypeOf<number>();
        this.model.stopTraining = true;
      }
    }
    expect(new PredictEachEpoch()).toBeInstanceOf(km.callbacks.Callback);
    const hooks: km.CustomCallbackArgs = { onEpochEnd: (_epoch, logs) => { expectTypeOf(logs.loss).toEqualTypeOf<number>(); } };
    expect(hooks.onEpochEnd).toBeTypeOf('function');
    expectTypeOf<KnownKeys<km.History['history']>>().toEqualTypeOf<'loss'>();
    expectTypeOf<km.History['history']['loss']>().toEqualTypeOf<number[]>();
    type EpochEndLogs = Parameters<NonNullable<km.CustomCallbackArgs['onEpochEnd']>>[1];
    type BatchEndLogs = Parameters<NonNullable<km.CustomCallbackArgs['onTrainBatchEnd']>>[1];
    expectTypeOf<KnownKeys<EpochEndLogs>>().toEqualTypeOf<'loss'>();
    expectTypeOf<KnownKeys<BatchEndLogs>>().toEqualTypeOf<'loss'>();
  });

  it("a layer's forward and backward context has at least one input", () => {
    expectTypeOf<km.layers.ForwardContext['inputs']>().toEqualTypeOf<readonly [number, ...number[]]>();
    expectTypeOf<km.layers.BackwardContext['inputGrads']>().toEqualTypeOf<readonly [number, ...number[]]>();
  });

  it('backend names are the union km.backends() lists, so a typo fails to compile', () => {
    expectTypeOf(km.getBackend).returns.toEqualTypeOf<km.BackendName>();
    expectTypeOf(km.setBackend).parameter(0).toEqualTypeOf<km.BackendName>();
    // @ts-expect-error: 'wsam' is not a backend.
    expectTypeOf(km.setBackend).toBeCallableWith('wsam');
    expectTypeOf<km.BackendAvailability['name']>().toEqualTypeOf<km.BackendName>();
  });
});

describe('fit options name their types', () => {
  it('classWeight is a ClassWeightSpec: one output\'s ClassWeight, a list, or a ClassWeightMap by output name', () => {
    expectTypeOf<km.ModelFitArgs['classWeight']>().toEqualTypeOf<km.ClassWeightSpec | undefined>();
    expectTypeOf<{ species: { 0: 1 } }>().toMatchTypeOf<km.ClassWeightMap>();
    expectTypeOf<[km.ClassWeight, null]>().toMatchTypeOf<km.ClassWeightSpec>();
    expect(Object.keys(km).includes('ClassWeightSpec')).toBe(false); // a type only, as in tfjs
  });
});
