import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { useBackend } from '../testing/backends_here.js';
import type { Logs } from './callbacks.js';

beforeAll(() => km.ready());
afterAll(() => useBackend('wasm'));

// 10 training samples in batches of 4 (4, 4, 2); 5 validation samples in batches of 3 (3, 2).
const x = km.tensor(Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10]));
const y = km.tensor(Array.from({ length: 10 }, (_, i) => [i % 3 === 0 ? 1 : 0]));
const validationData: [km.Tensor, km.Tensor] = [x.slice(0, 5), y.slice(0, 5)];

function model(): km.Sequential {
  km.utils.setRandomSeed(3);
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  return m;
}

type Call = [hook: string, ...args: unknown[]];

/**
 * A Callback subclass overriding every hook of Keras 3 (tfjs' `onBatchBegin`/`onBatchEnd` are other
 * names for two of them: batch_hook_aliases.test.ts), recording each call with a copy of its arguments.
 */
class Recorder extends km.callbacks.Callback {
  readonly calls: Call[] = [];
  #log(hook: string, args: unknown[]): void {
    this.calls.push([hook, ...args.map((a) => (typeof a === 'object' && a !== null && !(a instanceof km.Tensor) && !('outputs' in a) ? { ...a } : a))]);
  }
  override onTrainBegin(...a: unknown[]) { this.#log('onTrainBegin', a); }
  override onTrainEnd(...a: unknown[]) { this.#log('onTrainEnd', a); }
  override onEpochBegin(...a: unknown[]) { this.#log('onEpochBegin', a); }
  override onEpochEnd(...a: unknown[]) { this.#log('onEpochEnd', a); }
  override onTrainBatchBegin(...a: unknown[]) { this.#log('onTrainBatchBegin', a); }
  override onTrainBatchEnd(...a: unknown[]) { this.#log('onTrainBatchEnd', a); }
  override onTestBegin(...a: unknown[]) { this.#log('onTestBegin', a); }
  override onTestEnd(...a: unknown[]) { this.#log('onTestEnd', a); }
  override onTestBatchBegin(...a: unknown[]) { this.#log('onTestBatchBegin', a); }
  override onTestBatchEnd(...a: unknown[]) { this.#log('onTestBatchEnd', a); }
  override onPredictBegin(...a: unknown[]) { this.#log('onPredictBegin', a); }
  override onPredictEnd(...a: unknown[]) { this.#log('onPredictEnd', a); }
  override onPredictBatchBegin(...a: unknown[]) { this.#log('onPredictBatchBegin', a); }
  override onPredictBatchEnd(...a: unknown[]) { this.#log('onPredictBatchEnd', a); }
}

/** Keras 3's hook calls (its trainer loops, written out by hand) in kerasm's names. */
function kerasm(keras: string[]): string[] {
  return keras.map((call) => call.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
}

/** Keras 3's `fit`: on_train_begin, per epoch on_epoch_begin, each batch, the validation `evaluate` with the same callbacks, on_epoch_end; on_train_end. */
function kerasFit(epochs: number, batches: number, validationBatches: number): string[] {
  const calls = ['on_train_begin'];
  for (let e = 0; e < epochs; e++) {
    calls.push(`on_epoch_begin ${e}`);
    for (let b = 0; b < batches; b++) calls.push(`on_train_batch_begin ${b}`, `on_train_batch_end ${b}`);
    calls.push(...kerasEvaluate(validationBatches), `on_epoch_end ${e}`);
  }
  return [...calls, 'on_train_end'];
}

function kerasEvaluate(batches: number): string[] {
  return ['on_test_begin', ...Array.from({ length: batches }, (_, b) => [`on_test_batch_begin ${b}`, `on_test_batch_end ${b}`]).flat(), 'on_test_end'];
}

function kerasPredict(batches: number): string[] {
  return ['on_predict_begin', ...Array.from({ length: batches }, (_, b) => [`on_predict_batch_begin ${b}`, `on_predict_batch_end ${b}`]).flat(), 'on_predict_end'];
}

const order = (calls: Call[]) => calls.map(([hook, index]) => (typeof index === 'number' ? `${hook} ${index}` : hook));
const logsOf = (calls: Call[], hook: string) => calls.filter(([h]) => h === hook).map((c) => c[c.length - 1]);
const pick = (history: km.History, epoch: number, keys: string[], prefix = '') => Object.fromEntries(keys.map((k) => [k, history.history[prefix + k][epoch]]));

describe("Keras 3's callback hooks", () => {
  it('fit with validation calls them in the order of Keras 3, with the logs History and evaluate report', async () => {
    const m = model();
    const recorder = new Recorder();
    const history = await m.fit(x, y, { epochs: 2, batchSize: 4, validationData, validationBatchSize: 3, verbose: 0, callbacks: recorder });
    const calls = recorder.calls;
    expect(order(calls)).toEqual(kerasm(kerasFit(2, 3, 2)));

    // Hooks with nothing to report get {}, as Keras 3's CallbackList passes `logs or {}` (and tfjs' passes {}).
    for (const hook of ['onTrainBegin', 'onTestBegin']) expect(calls.filter(([h]) => h === hook).map((c) => c.slice(1))).toEqual(calls.filter(([h]) => h === hook).map(() => [{}]));
    expect(calls.filter(([h]) => h === 'onEpochBegin').map((c) => c.slice(1))).toEqual([[0, {}], [1, {}]]);
    // A training batch: { batch, size } at its start, the running logs at its end.
    const sizes = [4, 4, 2, 4, 4, 2];
    expect(logsOf(calls, 'onTrainBatchBegin')).toEqual(sizes.map((size, i) => ({ batch: i % 3, size })));
    const trainEnds = logsOf(calls, 'onTrainBatchEnd') as Logs[];
    expect(trainEnds.map(({ batch, size }) => ({ batch, size }))).toEqual(logsOf(calls, 'onTrainBatchBegin'));
    // The running logs of an epoch's last batch are the epoch's.
    for (const epoch of [0, 1]) {
      const { batch: _b, size: _s, ...last } = trainEnds[3 * epoch + 2];
      expect(last).toEqual(pick(history, epoch, ['loss', 'mae']));
    }
    // onTestEnd gets the validation pass's logs unprefixed; its last batch's running logs are the same.
    const testEnds = logsOf(calls, 'onTestEnd');
    expect(testEnds).toEqual([0, 1].map((epoch) => pick(history, epoch, ['loss', 'mae'], 'val_')));
    const testBatchEnds = logsOf(calls, 'onTestBatchEnd') as Logs[];
    expect(testBatchEnds.map(({ batch, size }) => [batch, size])).toEqual([[0, 3], [1, 2], [0, 3], [1, 2]]);
    expect(logsOf(calls, 'onTestBatchBegin')).toEqual([{ batch: 0, size: 3 }, { batch: 1, size: 2 }, { batch: 0, size: 3 }, { batch: 1, size: 2 }]);
    const { batch: _b, size: _s, ...lastTestBatch } = testBatchEnds[3];
    expect(lastTestBatch).toEqual(testEnds[1]);
    // The validation logs match evaluate on the final weights; onEpochEnd and onTrainEnd get the epoch's logs.
    expect(await m.evaluate(...validationData, { batchSize: 3, verbose: 0, returnDict: true })).toEqual(testEnds[1]);
    expect(logsOf(calls, 'onEpochEnd')).toEqual([0, 1].map((epoch) => pick(history, epoch, ['loss', 'mae', 'val_loss', 'val_mae'])));
    expect(logsOf(calls, 'onTrainEnd')).toEqual([pick(history, 1, ['loss', 'mae', 'val_loss', 'val_mae'])]);
    expect(recorder.params?.epochs).toBe(2);
  });

  it('evaluate calls the test hooks as Keras 3 does, onTestEnd with its result', async () => {
    const m = model();
    const recorder = new Recorder();
    const result = await m.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true, callbacks: [recorder] });
    expect(order(recorder.calls)).toEqual(kerasm(kerasEvaluate(3)));
    expect(logsOf(recorder.calls, 'onTestEnd')).toEqual([result]);
    const { batch: _b, size, ...last } = logsOf(recorder.calls, 'onTestBatchEnd')[2] as Logs;
    expect([size, last]).toEqual([2, result]);
    expect(recorder.params).toMatchObject({ epochs: 1, steps: 3, samples: 10, batchSize: 4 });
    expect(recorder.model).toBe(m);
    // The list form returns the same values.
    expect(await m.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: { onTestEnd: () => undefined } })).toEqual(Object.values(result));
  });

  it('fit and evaluate on a km.data dataset call them as fit(x, y) and evaluate(x, y) do', async () => {
    const batches = () => km.data.zip({ xs: km.data.array(x.arraySync() as number[][]), ys: km.data.array(y.arraySync() as number[][]) }).batch(4);
    const m = model();
    const recorder = new Recorder();
    const history = await m.fit(batches(), { epochs: 2, verbose: 0, validationData: batches().take(2), callbacks: recorder });
    expect(order(recorder.calls)).toEqual(kerasm(kerasFit(2, 3, 2)));
    expect(logsOf(recorder.calls, 'onTrainEnd')).toEqual([pick(history, 1, ['loss', 'mae', 'val_loss', 'val_mae'])]);
    expect(logsOf(recorder.calls, 'onTestEnd')[1]).toEqual(pick(history, 1, ['loss', 'mae'], 'val_'));

    const evaluated = new Recorder();
    const result = await m.evaluate(batches(), { verbose: 0, returnDict: true, callbacks: evaluated });
    expect(order(evaluated.calls)).toEqual(kerasm(kerasEvaluate(3)));
    expect(logsOf(evaluated.calls, 'onTestEnd')).toEqual([result]);
    expect((logsOf(evaluated.calls, 'onTestBatchEnd') as Logs[]).map((l) => l.size)).toEqual([4, 4, 2]);
  });

  for (const backend of ['wasm', 'tfjs-cpu']) {
    it(`predict calls the predict hooks as Keras 3 does, onPredictBatchEnd with the batch's outputs (${backend})`, async () => {
      await useBackend(backend);
      try {
        const m = model();
        const recorder = new Recorder();
        const all = m.predict(x, { batchSize: 4, callbacks: [recorder] });
        expect(order(recorder.calls)).toEqual(kerasm(kerasPredict(3)));
        for (const hook of ['onPredictBegin', 'onPredictEnd']) expect(recorder.calls.filter(([h]) => h === hook).map((c) => c.slice(1))).toEqual([[{}]]);
        expect(logsOf(recorder.calls, 'onPredictBatchBegin')).toEqual([{ batch: 0, size: 4 }, { batch: 1, size: 4 }, { batch: 2, size: 2 }]);
        // Copies of each batch's rows (on tfjs-cpu, device tensors read when asked), which together are predict's result.
        const outputs = (logsOf(recorder.calls, 'onPredictBatchEnd') as km.callbacks.PredictBatchLogs[]).map((l) => l.outputs as km.Tensor);
        expect(outputs.map((t) => t.shape)).toEqual([[4, 1], [4, 1], [2, 1]]);
        const joined = (await Promise.all(outputs.map((t) => t.data()))).flatMap((v) => Array.from(v));
        expect(joined).toEqual(Array.from(await all.data()));
        expect(recorder.params).toMatchObject({ epochs: 1, steps: 3, samples: 10, batchSize: 4 });
      } finally {
        await useBackend('wasm');
      }
    });
  }

  it('predict gives a model with several outputs its batch outputs as predict returns them', () => {
    km.utils.setRandomSeed(4);
    const input = km.input({ shape: [2] });
    const m = km.model({ inputs: input, outputs: { a: km.layers.dense({ units: 1 }).apply(input) as km.SymbolicTensor, b: km.layers.dense({ units: 3 }).apply(input) as km.SymbolicTensor } });
    const seen: km.callbacks.PredictBatchLogs['outputs'][] = [];
    m.predict(x, { batchSize: 8, callbacks: { onPredictBatchEnd: (_batch, { outputs }) => void seen.push(outputs) } });
    expect(seen.map((o) => Object.entries(o as Record<string, km.Tensor>).map(([key, t]) => [key, t.shape]))).toEqual([
      [['a', [8, 1]], ['b', [8, 3]]],
      [['a', [2, 1]], ['b', [2, 3]]],
    ]);
  });

  it("onTrainEnd gets {} when no epoch ran, as Keras 3's CallbackList turns None into {}", async () => {
    const ends: unknown[][] = [];
    await model().fit(x, y, { epochs: 1, initialEpoch: 1, verbose: 0, callbacks: { onTrainEnd: (...args) => void ends.push(args) } });
    expect(ends).toEqual([[{}]]);
  });
});

describe('hook names that are no hook', () => {
  it("a plain object's Keras snake_case or misspelt hook is refused, naming the kerasm hook", async () => {
    const m = model();
    await expect(m.fit(x, y, { verbose: 0, callbacks: { on_batch_end: () => undefined } as km.CustomCallbackArgs }))
      .rejects.toThrow(/^callbacks\[0\] has no option 'on_batch_end'; did you mean 'onBatchEnd'\?/);
    await expect(m.fit(x, y, { verbose: 0, callbacks: { on_train_batch_end: () => undefined } as km.CustomCallbackArgs }))
      .rejects.toThrow(/^callbacks\[0\] has no option 'on_train_batch_end'; did you mean 'onTrainBatchEnd'\?/);
    await expect(m.evaluate(x, y, { verbose: 0, callbacks: [{ onTestEnd: () => undefined }, { on_test_end: () => undefined } as km.CustomCallbackArgs] }))
      .rejects.toThrow(/^callbacks\[1\] has no option 'on_test_end'; did you mean 'onTestEnd'\?/);
    expect(() => m.predict(x, { callbacks: { onPredictBatchEnds: () => undefined } as km.CustomCallbackArgs })).toThrow(/^callbacks\[0\] has no option 'onPredictBatchEnds'; did you mean 'onPredictBatchEnd'\?/);
  });

  it("a Callback subclass's method starting with 'on' that is no hook is refused when fit, evaluate or predict starts", async () => {
    class Snake extends km.callbacks.Callback {
      on_epoch_end() {}
    }
    class Typo extends km.callbacks.Callback {
      onTrainBatchEnds() {}
    }
    // Found up the prototype chain too, in a class between the callback and Callback.
    class Sub extends Typo {
      override onEpochEnd() {}
    }
    const m = model();
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    const fix = / A method whose name starts with 'on' is taken for a hook, and this one would never be called: rename it/;
    await expect(m.fit(x, y, { verbose: 0, callbacks: new Snake() })).rejects.toThrow(/^callbacks\[0\] \(Snake\) has no option 'on_epoch_end'; did you mean 'onEpochEnd'\?/);
    await expect(m.fit(x, y, { verbose: 0, callbacks: [new Recorder(), new Sub()] })).rejects.toThrow(/^callbacks\[1\] \(Sub\) has no option 'onTrainBatchEnds'; did you mean 'onTrainBatchEnd'\?/);
    await expect(m.evaluate(x, y, { verbose: 0, callbacks: new Typo() })).rejects.toThrow(fix);
    expect(() => m.predict(x, { callbacks: new Typo() })).toThrow(fix);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it("leaves a subclass's helpers and state alone when they do not start with 'on' and a capital", async () => {
    class Counting extends km.callbacks.Callback {
      onsets = 0;
      onEpochEndCount = 0; // not a method: state
      once() {}
      helper() {}
      override onEpochEnd() {
        this.onEpochEndCount++;
      }
    }
    const counting = new Counting();
    await model().fit(x, y, { epochs: 2, verbose: 0, callbacks: counting });
    expect(counting.onEpochEndCount).toBe(2);
  });

  it('predict refuses a hook that returns a promise, since it cannot wait for it', () => {
    expect(() => model().predict(x, { callbacks: { onPredictBegin: (async () => undefined) as () => void } })).toThrow(
      'predict is synchronous and cannot wait for callbacks[0].onPredictBegin, which returned a promise. Make the hook synchronous (not async), or do the asynchronous work after predict returns.',
    );
  });
});
