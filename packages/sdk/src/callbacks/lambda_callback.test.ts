import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const x = km.tensor(Array.from({ length: 12 }, (_, i) => [i / 12, 1 - i / 12]));
const y = km.tensor(Array.from({ length: 12 }, (_, i) => [i % 3 === 0 ? 1 : 0]));

function model(): km.Sequential {
  km.utils.setRandomSeed(3);
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** Every hook, logging its name and index in call order. */
function recorder(calls: string[]): km.callbacks.LambdaCallbackArgs {
  const log = (name: string) => (index?: unknown) => void calls.push(typeof index === 'number' ? `${name} ${index}` : name);
  return {
    onTrainBegin: log('trainBegin'), onTrainEnd: log('trainEnd'), onEpochBegin: log('epochBegin'), onEpochEnd: log('epochEnd'),
    onBatchBegin: log('batchBegin'), onBatchEnd: log('batchEnd'), onTestBegin: log('testBegin'), onTestEnd: log('testEnd'),
  };
}

describe('km.callbacks.lambdaCallback', () => {
  it('calls its hooks as a plain-object callback, in Keras order, with validation between testBegin and testEnd', async () => {
    const viaLambda: string[] = [];
    const viaObject: string[] = [];
    const fitArgs = { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0 as const };
    await model().fit(x, y, { ...fitArgs, initialEpoch: 1, callbacks: [km.callbacks.lambdaCallback(recorder(viaLambda))] });
    await model().fit(x, y, { ...fitArgs, initialEpoch: 1, callbacks: recorder(viaObject) });
    // 9 training samples in batches of 8: two batches; only epoch 1 runs.
    const keras = ['trainBegin', 'epochBegin 1', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'testBegin', 'testEnd', 'epochEnd 1', 'trainEnd'];
    expect(viaLambda).toEqual(keras);
    expect(viaObject).toEqual(keras);
  });

  it('names a misspelt hook and a hook that is not a function', () => {
    expect(() => km.callbacks.lambdaCallback({ on_epoch_end: () => {} } as km.callbacks.LambdaCallbackArgs)).toThrow(/on_epoch_end/);
    expect(() => km.callbacks.lambdaCallback({ onEpochEnd: 'print' } as unknown as km.callbacks.LambdaCallbackArgs)).toThrow(/onEpochEnd must be a function.*Received: onEpochEnd="print"/);
  });
});
