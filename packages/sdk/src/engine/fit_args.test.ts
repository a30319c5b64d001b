// fit's and compile's arguments that tfjs and Keras code passes in forms kerasm had let through or refused.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

const [x, y] = [km.tensor(new Float32Array(16).map((_, i) => (i % 5) / 5), [4, 4]), km.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])];
function classifier(metrics?: km.ModelCompileArgs['metrics']) {
  const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4], activation: 'softmax', name: 'out' })]);
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics });
  return model;
}

describe('fit and compile arguments', () => {
  it('verbose: 2 prints one line per epoch, as Keras does; other values are refused', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
    await classifier(['accuracy']).fit(x, y, { epochs: 2, batchSize: 2, verbose: 2 });
    expect(written.join('').split('\n')).toEqual([
      'Epoch 1/2',
      expect.stringMatching(/^2\/2 - \d+s - \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/),
      'Epoch 2/2',
      expect.stringMatching(/^2\/2 - \d+s - \d+(ms|us)\/step - loss: /),
      '',
    ]);
    await expect(classifier().fit(x, y, { verbose: 3 as 2 })).rejects.toThrow('fit verbose must be 0 (silent), 1 (a progress bar) or 2 (one line per epoch). Received: verbose=3.');
    await expect(classifier().evaluate(x, y, { verbose: true as unknown as 1 })).rejects.toThrow('evaluate verbose must be 0 (silent), 1 (a progress bar) or 2 (one line per epoch). Received: verbose=true.');
  });

  it('one metric alone, or one per output in an object, is a list of one, as in tfjs', async () => {
    expect(classifier('accuracy').metricsNames).toEqual(['loss', 'accuracy']);
    expect(classifier({ out: 'mse' }).metricsNames).toEqual(['loss', 'mse']);
    expect(classifier(km.metrics.auc()).metricsNames).toEqual(['loss', 'auc']);
    // The same numbers as the list form.
    const [single, listed] = [classifier('accuracy'), classifier(['accuracy'])];
    listed.setWeights(single.getWeights());
    expect(await single.evaluate(x, y, { verbose: 0 })).toEqual(await listed.evaluate(x, y, { verbose: 0 }));
    expect(() => classifier(5 as never)).toThrow(/A metric must be a name .* or an object with name, reset, result and either update\(batch\) .* or updateState\(yTrue, yPred, sampleWeight\) .*; received 5\./);
  });

  it('a callback that is not an object, and a classWeight for a class the output does not have, are refused before training', async () => {
    const model = classifier();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(model.fit(x, y, { verbose: 0, callbacks: 5 as never })).rejects.toThrow('callbacks[0] must be a callback: one from km.callbacks, a Callback subclass, or an object of hooks ({ onEpochEnd(epoch, logs) { ... } }). Received: number.');
    await expect(model.fit(x, y, { verbose: 0, classWeight: { 0: 1, 5: 2 } })).rejects.toThrow("classWeight has class 5, but the model's output has 3 classes (0..2), so no sample would get its weight. Give weights for classes 0..2; classes left out weigh 1.");
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    // A single sigmoid unit has classes 0 and 1.
    const binary = km.sequential([km.layers.dense({ units: 1, inputShape: [4], activation: 'sigmoid' })]);
    binary.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const labels = km.tensor([[0], [1], [1], [0]]);
    await expect(binary.fit(x, labels, { verbose: 0, classWeight: { 0: 1, 1: 3 } })).resolves.toBeDefined();
    await expect(binary.fit(x, labels, { verbose: 0, classWeight: { 2: 1 } })).rejects.toThrow("classWeight has class 2, but the model's output has 2 classes (0..1)");
  });

  it("predict takes tfjs' verbose (a boolean) and Keras' (0, 1, 2): silent by default, one line when asked", () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const model = classifier();
    const silent = model.predict(x, { verbose: false }).dataSync();
    model.predict(x);
    expect(log).not.toHaveBeenCalled();
    expect(model.predict(x, { batchSize: 3, verbose: true }).dataSync()).toEqual(silent);
    model.predict(x, { verbose: 1 });
    expect(log.mock.calls.map(([line]) => line)).toEqual([expect.stringMatching(/^2\/2 - \d+\.\ds - \d+\.\dms\/step$/), expect.stringMatching(/^1\/1 - /)]);
    expect(() => model.predict(x, { verbose: 'yes' as never })).toThrow('predict verbose must be true or false (or Keras\' 0, 1, 2). Received: verbose="yes".');
  });
});
