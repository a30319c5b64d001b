import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';

// kerasm saves the optimizer state it keeps aside for a frozen layer after the trainable weights'
// state and reloads it by name; tfjs 4.22 reads optimizer state by position, so `save` warns,
// once per model (a checkpoint every epoch warns once), when the file holds such state, and only then.
beforeAll(async () => {
  await km.ready();
});

const x = km.tensor([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]]);
const y = km.tensor([[1.0], [-0.5], [0.3], [2.2]]);

function twoLayers(): km.Sequential {
  km.utils.setRandomSeed(3);
  const model = km.sequential([km.layers.dense({ name: 'base', units: 3, inputShape: [2] }), km.layers.dense({ name: 'head', units: 1 })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  return model;
}

/** The warnings `save` gives, saving the model (with the optimizer state unless told otherwise). */
async function saveWarnings(model: km.LayersModel, includeOptimizer = true): Promise<string[]> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    await savedArtifacts(model, includeOptimizer);
    return warn.mock.calls.map((args) => String(args[0]));
  } finally {
    warn.mockRestore();
  }
}

describe('model.save warns about optimizer state set aside for frozen layers', () => {
  it('once, naming the weights, why tfjs misreads it and what to do, when a layer frozen after training is saved with its state', async () => {
    const model = twoLayers();
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    model.layers[0]!.trainable = false;
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const warnings = await saveWarnings(model);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^Model '.*' is saved with the optimizer state kept for its frozen weights \('base\/kernel', 'base\/bias'\), after the trainable weights' state\. kerasm reloads it by name, but tfjs 4\.22 reads optimizer state by position.*save after unfreezing the layers.*or save without includeOptimizer\.$/,
    );
    // And the file does hold that state, after the trainable weights'.
    const names = (await savedArtifacts(model)).weightSpecs!.map((s) => s.name);
    expect(names.slice(names.indexOf('iter'))).toEqual(['iter', 'head/kernel/m', 'head/bias/m', 'base/kernel/m', 'base/bias/m', 'head/kernel/v', 'head/bias/v', 'base/kernel/v', 'base/bias/v']);
    expect(await saveWarnings(model)).toEqual([]); // said once for this model already
  });

  it('when optimizer.setWeights set the frozen layer\'s state aside', async () => {
    const trained = twoLayers();
    await trained.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const state = await trained.optimizer!.getWeights();
    const model = twoLayers();
    model.layers[0]!.trainable = false;
    model.getWeights();
    await model.optimizer!.setWeights(state);
    expect(await saveWarnings(model)).toEqual([expect.stringMatching(/frozen weights \('base\/kernel', 'base\/bias'\)/)]);
  });

  it('not without includeOptimizer, nor when no state is set aside (frozen before any training, or nothing frozen)', async () => {
    const aside = twoLayers();
    await aside.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    aside.layers[0]!.trainable = false;
    await aside.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(await saveWarnings(aside, false)).toEqual([]);

    const frozenFromStart = twoLayers();
    frozenFromStart.layers[0]!.trainable = false;
    await frozenFromStart.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(await saveWarnings(frozenFromStart)).toEqual([]);

    const unfrozen = twoLayers();
    await unfrozen.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(await saveWarnings(unfrozen)).toEqual([]);

    // Unfrozen again (as the warning advises), trained or not: the state is the trainable weights', in tfjs' order.
    aside.layers[0]!.trainable = true;
    expect(await saveWarnings(aside)).toEqual([]);
    const names = (await savedArtifacts(aside)).weightSpecs!.map((s) => s.name);
    expect(names.slice(names.indexOf('iter'))).toEqual(['iter', 'base/kernel/m', 'base/bias/m', 'head/kernel/m', 'head/bias/m', 'base/kernel/v', 'base/bias/v', 'head/kernel/v', 'head/bias/v']);
    await aside.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(await saveWarnings(aside)).toEqual([]);
  });
});
