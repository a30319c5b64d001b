import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import type { Logs } from './callbacks.js';

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

// 6 training samples in batches of 4 (4, 2), over 2 epochs: 4 training batches; 3 validation samples in one batch per epoch.
const x = km.tensor(Array.from({ length: 6 }, (_, i) => [i / 6, 1 - i / 6]));
const y = km.tensor(Array.from({ length: 6 }, (_, i) => [i % 2]));
const FIT = { epochs: 2, batchSize: 4, verbose: 0 as const, validationData: [x.slice(0, 3), y.slice(0, 3)] as [km.Tensor, km.Tensor] };
const TRAIN_BATCHES = 4;

function model(): km.Sequential {
  km.utils.setRandomSeed(5);
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** Counts each named function's calls, keeping the batch index and logs of each. */
class Counter {
  readonly calls: Record<string, [number, Logs][]> = {};
  fn(name: string): (batch: number, logs?: Logs) => void {
    return (batch, logs) => void (this.calls[name] ??= []).push([batch, { ...logs }]);
  }
  count(name: string): number {
    return this.calls[name]?.length ?? 0;
  }
}

const counts = (counter: Counter) => Object.fromEntries(Object.keys(counter.calls).map((name) => [name, counter.count(name)]));

/** Runs `fit`, returning the warnings it gave. */
async function fitWarnings(callbacks: km.CustomCallbackArgs | km.CustomCallbackArgs[], m = model()): Promise<string[]> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await m.fit(x, y, { ...FIT, callbacks });
  const warnings = warn.mock.calls.map((c) => String(c[0]));
  warn.mockRestore();
  return warnings;
}

describe("tfjs' onBatchBegin/onBatchEnd beside Keras' onTrainBatchBegin/onTrainBatchEnd", () => {
  it('a plain object with only one of the names runs it once per training batch, without a warning', async () => {
    for (const [begin, end] of [['onBatchBegin', 'onBatchEnd'], ['onTrainBatchBegin', 'onTrainBatchEnd']] as const) {
      const counter = new Counter();
      expect(await fitWarnings({ [begin]: counter.fn(begin), [end]: counter.fn(end) })).toEqual([]);
      expect([counter.count(begin), counter.count(end)]).toEqual([TRAIN_BATCHES, TRAIN_BATCHES]);
      expect(counter.calls[end].map(([batch, logs]) => [batch, logs.size])).toEqual([[0, 4], [1, 2], [0, 4], [1, 2]]);
    }
  });

  it("a plain object with both runs only Keras' hook, once per batch, and warns once, naming the fix", async () => {
    const counter = new Counter();
    const callback = { onTrainBatchEnd: counter.fn('keras'), onBatchEnd: counter.fn('tfjs'), onTrainBatchBegin: counter.fn('kerasBegin'), onBatchBegin: counter.fn('tfjsBegin') };
    const warnings = await fitWarnings(callback);
    expect([counter.count('keras'), counter.count('tfjs'), counter.count('kerasBegin'), counter.count('tfjsBegin')]).toEqual([TRAIN_BATCHES, 0, TRAIN_BATCHES, 0]);
    expect(warnings).toEqual([
      "kerasm: callbacks[0] has both onTrainBatchBegin and onBatchBegin, which are one event (onBatchBegin is tfjs' name for it), so only onTrainBatchBegin runs, as Keras calls only an overridden on_train_batch_begin. Move the code of onBatchBegin into onTrainBatchBegin (or call this.onBatchBegin(batch, logs) from it).",
    ]);
    // A second fit with the same callback (a GAN loop's) does not warn again, and still calls it once per batch.
    expect(await fitWarnings(callback)).toEqual([]);
    expect([counter.count('keras'), counter.count('tfjs')]).toEqual([2 * TRAIN_BATCHES, 0]);
  });

  it('only the end pair given: the warning names onTrainBatchEnd', async () => {
    const counter = new Counter();
    const warnings = await fitWarnings([{ onEpochEnd: () => undefined }, { onTrainBatchEnd: counter.fn('keras'), onBatchEnd: counter.fn('tfjs') }]);
    expect([counter.count('keras'), counter.count('tfjs')]).toEqual([TRAIN_BATCHES, 0]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^kerasm: callbacks\[1\] has both onTrainBatchEnd and onBatchEnd, .* as Keras calls only an overridden on_train_batch_end\. Move the code of onBatchEnd into onTrainBatchEnd/);
  });

  it('one function under both names runs once per batch, without a warning', async () => {
    const counter = new Counter();
    const end = counter.fn('end');
    const begin = counter.fn('begin');
    expect(await fitWarnings({ onTrainBatchEnd: end, onBatchEnd: end, onTrainBatchBegin: begin, onBatchBegin: begin })).toEqual([]);
    expect([counter.count('begin'), counter.count('end')]).toEqual([TRAIN_BATCHES, TRAIN_BATCHES]);
  });

  it('a Callback subclass overriding one name runs it once per batch; overriding both, only onTrainBatchEnd', async () => {
    const counter = new Counter();
    class OnlyTfjs extends km.Callback {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('OnlyTfjs.onBatchEnd')(batch, logs); }
    }
    class OnlyKeras extends km.Callback {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('OnlyKeras.onTrainBatchEnd')(batch, logs); }
    }
    class Both extends km.Callback {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('Both.onTrainBatchEnd')(batch, logs); }
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('Both.onBatchEnd')(batch, logs); }
    }
    const warnings = await fitWarnings([new OnlyTfjs(), new OnlyKeras(), new Both()]);
    expect(counts(counter)).toEqual({ 'OnlyTfjs.onBatchEnd': TRAIN_BATCHES, 'OnlyKeras.onTrainBatchEnd': TRAIN_BATCHES, 'Both.onTrainBatchEnd': TRAIN_BATCHES });
    expect(counter.calls['OnlyTfjs.onBatchEnd']).toEqual(counter.calls['Both.onTrainBatchEnd']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^kerasm: callbacks\[2\] \(Both\) has both onTrainBatchEnd and onBatchEnd/);
  });

  it('up a class chain the most derived definition runs, whichever name it has, as an override does', async () => {
    const counter = new Counter();
    class TfjsBase extends km.Callback {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('TfjsBase.onBatchEnd')(batch, logs); }
    }
    class KerasChild extends TfjsBase {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('KerasChild.onTrainBatchEnd')(batch, logs); }
    }
    class KerasBase extends km.Callback {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('KerasBase.onTrainBatchEnd')(batch, logs); }
    }
    class TfjsChild extends KerasBase {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('TfjsChild.onBatchEnd')(batch, logs); }
    }
    // The explicit way to keep both: the override calls the overridden hook itself.
    class Forwarding extends TfjsBase {
      override onTrainBatchEnd(batch: number, logs: Logs) {
        counter.fn('Forwarding.onTrainBatchEnd')(batch, logs);
        super.onBatchEnd(batch, logs);
      }
    }
    const warnings = await fitWarnings([new KerasChild(), new TfjsChild(), new Forwarding()]);
    expect(counts(counter)).toEqual({
      'KerasChild.onTrainBatchEnd': TRAIN_BATCHES,
      'TfjsChild.onBatchEnd': TRAIN_BATCHES,
      'Forwarding.onTrainBatchEnd': TRAIN_BATCHES,
      'TfjsBase.onBatchEnd': TRAIN_BATCHES, // from Forwarding only
    });
    expect(warnings).toEqual([
      "kerasm: callbacks[0] (KerasChild): KerasChild's onTrainBatchEnd overrides TfjsBase's onBatchEnd, as they are one event (onBatchEnd is tfjs' name for onTrainBatchEnd), so only onTrainBatchEnd runs and TfjsBase's onBatchEnd is not called. To keep what it does, call super.onBatchEnd(batch, logs) from onTrainBatchEnd.",
      "kerasm: callbacks[1] (TfjsChild): TfjsChild's onBatchEnd overrides KerasBase's onTrainBatchEnd, as they are one event (onBatchEnd is tfjs' name for onTrainBatchEnd), so only onBatchEnd runs and KerasBase's onTrainBatchEnd is not called. To keep what it does, call super.onTrainBatchEnd(batch, logs) from onBatchEnd.",
      expect.stringMatching(/^kerasm: callbacks\[2\] \(Forwarding\): Forwarding's onTrainBatchEnd overrides TfjsBase's onBatchEnd/),
    ]);
  });

  it("a built-in callback's subclass overriding onBatchEnd runs its override, once per batch, and is told how to keep the built-in's", async () => {
    const counter = new Counter();
    class MyNaN extends km.callbacks.TerminateOnNaN {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('MyNaN.onBatchEnd')(batch, logs); }
    }
    const bar = { steps: [] as number[], epochBegin: () => undefined, batchEnd(step: number) { this.steps.push(step); }, epochEnd: () => undefined };
    class MyProgbar extends km.callbacks.ProgbarLogger {
      override onBatchEnd(batch: number, logs: Logs) {
        counter.fn('MyProgbar.onBatchEnd')(batch, logs);
        super.onTrainBatchEnd(batch, logs);
      }
    }
    const warnings = await fitWarnings([new MyNaN(), new MyProgbar(bar as never)]);
    expect(counts(counter)).toEqual({ 'MyNaN.onBatchEnd': TRAIN_BATCHES, 'MyProgbar.onBatchEnd': TRAIN_BATCHES });
    expect(counter.calls['MyNaN.onBatchEnd'].map(([batch, logs]) => [batch, logs.size])).toEqual([[0, 4], [1, 2], [0, 4], [1, 2]]);
    expect(bar.steps).toEqual([1, 2, 1, 2]);
    expect(warnings).toEqual([
      "kerasm: callbacks[0] (MyNaN): MyNaN's onBatchEnd overrides TerminateOnNaN's onTrainBatchEnd, as they are one event (onBatchEnd is tfjs' name for onTrainBatchEnd), so only onBatchEnd runs and TerminateOnNaN's onTrainBatchEnd is not called. To keep what it does, call super.onTrainBatchEnd(batch, logs) from onBatchEnd.",
      expect.stringMatching(/^kerasm: callbacks\[1\] \(MyProgbar\): MyProgbar's onBatchEnd overrides ProgbarLogger's onTrainBatchEnd/),
    ]);
  });

  it("a built-in's subclass overriding onTrainBatchEnd runs it alone, without a warning; a grandchild's onBatchEnd overrides it in turn", async () => {
    const counter = new Counter();
    class MyNaN extends km.callbacks.TerminateOnNaN {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('MyNaN.onTrainBatchEnd')(batch, logs); }
    }
    class Grandchild extends MyNaN {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('Grandchild.onBatchEnd')(batch, logs); }
    }
    class GreatGrandchild extends Grandchild {
      override onEpochEnd() { counter.fn('GreatGrandchild.onEpochEnd')(0); }
    }
    expect(await fitWarnings(new MyNaN())).toEqual([]);
    const warnings = await fitWarnings([new Grandchild(), new GreatGrandchild()]);
    expect(counts(counter)).toEqual({ 'MyNaN.onTrainBatchEnd': TRAIN_BATCHES, 'Grandchild.onBatchEnd': 2 * TRAIN_BATCHES, 'GreatGrandchild.onEpochEnd': 2 });
    expect(warnings.map((w) => w.match(/^kerasm: callbacks\[\d\] \(\w+\): \w+'s \w+ overrides \w+'s \w+/)?.[0])).toEqual([
      "kerasm: callbacks[0] (Grandchild): Grandchild's onBatchEnd overrides MyNaN's onTrainBatchEnd",
      "kerasm: callbacks[1] (GreatGrandchild): Grandchild's onBatchEnd overrides MyNaN's onTrainBatchEnd",
    ]);
  });

  it("both at one level of a class chain: that level's onTrainBatchEnd runs, over an inherited hook too", async () => {
    const counter = new Counter();
    class Base extends km.Callback {
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('Base.onBatchEnd')(batch, logs); }
    }
    class Both extends Base {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('Both.onTrainBatchEnd')(batch, logs); }
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('Both.onBatchEnd')(batch, logs); }
    }
    class BothOverNaN extends km.callbacks.TerminateOnNaN {
      override onTrainBatchEnd(batch: number, logs: Logs) { counter.fn('BothOverNaN.onTrainBatchEnd')(batch, logs); }
      override onBatchEnd(batch: number, logs: Logs) { counter.fn('BothOverNaN.onBatchEnd')(batch, logs); }
    }
    const warnings = await fitWarnings([new Both(), new BothOverNaN()]);
    expect(counts(counter)).toEqual({ 'Both.onTrainBatchEnd': TRAIN_BATCHES, 'BothOverNaN.onTrainBatchEnd': TRAIN_BATCHES });
    expect(warnings.map((w) => w.match(/^kerasm: callbacks\[\d\] \(\w+\) has both onTrainBatchEnd and onBatchEnd/)?.[0])).toEqual([
      'kerasm: callbacks[0] (Both) has both onTrainBatchEnd and onBatchEnd',
      'kerasm: callbacks[1] (BothOverNaN) has both onTrainBatchEnd and onBatchEnd',
    ]);
  });

  it('km.CustomCallback and lambdaCallback with both run only onTrainBatchEnd', async () => {
    const counter = new Counter();
    const hooks = () => ({ onTrainBatchEnd: counter.fn('keras'), onBatchEnd: counter.fn('tfjs') });
    const warnings = await fitWarnings([new km.CustomCallback(hooks()), km.callbacks.lambdaCallback(hooks())]);
    expect([counter.count('keras'), counter.count('tfjs')]).toEqual([2 * TRAIN_BATCHES, 0]);
    expect(warnings.map((w) => w.match(/callbacks\[\d\]( \(\w+\))?/)?.[0])).toEqual(['callbacks[0] (CustomCallback)', 'callbacks[1]']);
  });

  it('callbacks each with a different name run in list order, each once per batch', async () => {
    const order: string[] = [];
    await model().fit(x, y, {
      ...FIT,
      callbacks: [{ onBatchEnd: (b) => void order.push(`A.onBatchEnd ${b}`) }, { onTrainBatchEnd: (b) => void order.push(`B.onTrainBatchEnd ${b}`) }, { onBatchEnd: (b) => void order.push(`C.onBatchEnd ${b}`) }],
    });
    expect(order).toEqual([0, 1, 0, 1].flatMap((b) => [`A.onBatchEnd ${b}`, `B.onTrainBatchEnd ${b}`, `C.onBatchEnd ${b}`]));
  });

  it('fit on a dataset follows the same rule', async () => {
    const counter = new Counter();
    const batches = () => km.data.zip({ xs: km.data.array(x.arraySync() as number[][]), ys: km.data.array(y.arraySync() as number[][]) }).batch(4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await model().fit(batches(), { epochs: 2, verbose: 0, callbacks: [{ onTrainBatchEnd: counter.fn('keras'), onBatchEnd: counter.fn('tfjs') }, { onBatchBegin: counter.fn('tfjsBegin') }] });
    expect([counter.count('keras'), counter.count('tfjs'), counter.count('tfjsBegin')]).toEqual([TRAIN_BATCHES, 0, TRAIN_BATCHES]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('the aliases are training hooks only: validation and evaluate batches call onTestBatch* alone', async () => {
    const counter = new Counter();
    const hooks = { onBatchEnd: counter.fn('onBatchEnd'), onTestBatchEnd: counter.fn('onTestBatchEnd'), onEpochEnd: counter.fn('onEpochEnd') };
    const m = model();
    expect(await fitWarnings(hooks, m)).toEqual([]);
    expect([counter.count('onBatchEnd'), counter.count('onTestBatchEnd'), counter.count('onEpochEnd')]).toEqual([TRAIN_BATCHES, 2, 2]);
    await m.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: hooks });
    expect([counter.count('onBatchEnd'), counter.count('onTestBatchEnd')]).toEqual([TRAIN_BATCHES, 4]);
  });

  it("Keras' snake_case beside the camelCase hook is refused rather than run twice or never", async () => {
    await expect(model().fit(x, y, { ...FIT, callbacks: { onEpochEnd: () => undefined, on_epoch_end: () => undefined } as km.CustomCallbackArgs }))
      .rejects.toThrow(/^callbacks\[0\] has no option 'on_epoch_end'; did you mean 'onEpochEnd'\?/);
  });

  it("a built-in callback's subclass overriding onTrainBatchEnd keeps the built-in's work through super", async () => {
    const bar = { steps: [] as number[], epochBegin: () => undefined, batchEnd(step: number) { this.steps.push(step); }, epochEnd: () => undefined };
    let mine = 0;
    class CountingProgbar extends km.callbacks.ProgbarLogger {
      override onTrainBatchEnd(batch: number, logs: Logs) {
        mine++;
        super.onTrainBatchEnd(batch, logs);
      }
    }
    expect(await fitWarnings(new CountingProgbar(bar as never))).toEqual([]);
    expect([mine, bar.steps]).toEqual([TRAIN_BATCHES, [1, 2, 1, 2]]);
  });
});
