// km.callbacks.checkMonitored against the logs a real fit writes: what it accepts is what fit logs.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

function classifier(): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** The error checkMonitored throws for `callbacks`, or undefined. */
function refusal(callbacks: km.CustomCallbackArgs[], logs: km.callbacks.FitLogNames): km.callbacks.MonitorError | undefined {
  try {
    km.callbacks.checkMonitored(callbacks, logs);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(km.callbacks.MonitorError);
    return err as km.callbacks.MonitorError;
  }
}

describe('km.callbacks.checkMonitored', () => {
  it("accepts exactly the keys of fit's epoch logs, with and without validation data", async () => {
    const model = classifier();
    const x = km.tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);
    const y = km.tensor([0, 1, 1, 0]);
    for (const validationSplit of [0, 0.5]) {
      const history = await model.fit(x, y, { epochs: 1, verbose: 0, validationSplit });
      const logged = Object.keys(history.history);
      const logs = { metricsNames: model.metricsNames, validates: validationSplit > 0 };
      for (const key of [...logged, 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'auc', 'learning_rate']) {
        const error = refusal([km.callbacks.earlyStopping({ monitor: key })], logs);
        expect(error === undefined, `${key} with validationSplit ${validationSplit}`).toBe(logged.includes(key));
      }
    }
  });

  it('names the callback, the key, the logged keys and the fix, with a did-you-mean for a near miss', () => {
    const logs = { metricsNames: ['loss', 'accuracy'], validates: true };
    const typo = refusal([km.callbacks.terminateOnNaN(), km.callbacks.earlyStopping({ monitor: 'val_acuracy' })], logs);
    expect(typo?.message).toBe("EarlyStopping monitors 'val_acuracy', which fit does not log; did you mean 'val_accuracy'? fit logs: loss, accuracy, val_loss, val_accuracy.");
    expect([typo?.callbackIndex, typo?.monitor]).toEqual([1, 'val_acuracy']);
    const unknown = refusal([km.callbacks.reduceLROnPlateau({ monitor: 'auc' })], logs);
    expect(unknown?.message).toBe("ReduceLROnPlateau monitors 'auc', which fit does not log. fit logs: loss, accuracy, val_loss, val_accuracy, learning_rate; monitor one of those.");
    const unvalidated = refusal([km.callbacks.reduceLROnPlateau()], { ...logs, validates: false });
    expect(unvalidated?.message).toBe("ReduceLROnPlateau monitors 'val_loss', but fit has no validation data: give fit validationData or validationSplit, or monitor 'loss'.");
  });

  it('counts learning_rate logged by reduceLROnPlateau or learningRateScheduler in the list, and keys given in alsoLogged', () => {
    const logs = { metricsNames: ['loss'], validates: false };
    const watching = km.callbacks.earlyStopping({ monitor: 'learning_rate' });
    expect(refusal([watching], logs)?.monitor).toBe('learning_rate');
    expect(refusal([watching, km.callbacks.learningRateScheduler((_, lr) => lr)], logs)).toBeUndefined();
    expect(refusal([watching], { ...logs, alsoLogged: ['learning_rate'] })).toBeUndefined();
  });

  it('checks modelCheckpoint only with saveBestOnly, against training keys when it saves by batches', () => {
    const logs = { metricsNames: ['loss'], validates: true };
    expect(refusal([km.callbacks.modelCheckpoint({ filepath: 'ckpt', monitor: 'nope' })], logs)).toBeUndefined();
    expect(refusal([km.callbacks.modelCheckpoint({ filepath: 'ckpt', saveBestOnly: true })], logs)).toBeUndefined();
    expect(refusal([km.callbacks.modelCheckpoint({ filepath: 'ckpt', saveBestOnly: true, saveFreq: 2 })], logs)?.message).toBe(
      "modelCheckpoint monitors 'val_loss' every few batches, but batch logs hold training values only: monitor 'loss', or save once per epoch (saveFreq: 'epoch').",
    );
  });

  it('refuses what is not a description of the logs', () => {
    const stopper = km.callbacks.earlyStopping();
    expect(() => km.callbacks.checkMonitored(stopper, { metricsNames: 'loss' as never, validates: true })).toThrow(
      'km.callbacks.checkMonitored: metricsNames must be a list of log names, e.g. model.metricsNames. Received: metricsNames="loss".',
    );
    expect(() => km.callbacks.checkMonitored(stopper, { metricsNames: ['loss'] } as never)).toThrow('km.callbacks.checkMonitored: validates must be true or false. Received: validates=undefined.');
  });
});
