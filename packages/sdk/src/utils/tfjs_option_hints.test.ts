import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await km.ready();
});

function model(): km.LayersModel {
  const m = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = km.tensor([[1, 2], [3, 4]]);
const y = km.tensor([[1], [2]]);

describe("options tfjs declares that kerasm takes another way: refused, naming kerasm's way", () => {
  it('fit validationSteps (also as Keras writes it) names a dataset with validationBatches', async () => {
    await expect(model().fit(x, y, { validation_steps: 1 } as never)).rejects.toThrow(/^fit has no option 'validation_steps': .*validationBatches/);
    await expect(model().fit(x, y, { validationSplit: 0.5, validationSteps: 1 } as never)).rejects.toThrow(/^fit has no option 'validationSteps': .*validationBatches/);
  });

  it('evaluate steps names evaluate(dataset, { batches })', async () => {
    await expect(model().evaluate(x, y, { steps: 1 } as never)).rejects.toThrow(/^evaluate has no option 'steps': .*evaluate\(dataset, \{ batches \}\)/);
  });

  it('save trainableOnly says every weight is saved', async () => {
    await expect(model().save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { trainableOnly: false } as never)).rejects.toThrow(/^save has no option 'trainableOnly': kerasm saves every weight/);
  });

  it("km.input's and inputLayer's batchSize name the stateful layer's batchSize; inputLayer's sparse says tensors are dense", () => {
    expect(() => km.input({ shape: [3], batchSize: 4 } as never)).toThrow(/^km\.input has no option 'batchSize': kerasm leaves a model input's batch size free.*stateful: true, batchSize: 4/);
    expect(() => km.layers.inputLayer({ inputShape: [3], batchSize: 4 } as never)).toThrow(/^km\.layers\.inputLayer has no option 'batchSize': kerasm leaves/);
    expect(() => km.layers.inputLayer({ inputShape: [3], sparse: false } as never)).toThrow(/^km\.layers\.inputLayer has no option 'sparse': kerasm's tensors are dense/);
  });

  it('recurrent inputDim and inputLength name inputShape: [inputLength, inputDim]', () => {
    for (const factory of ['lstm', 'gru', 'simpleRNN'] as const) {
      expect(() => (km.layers[factory] as (args: object) => unknown)({ units: 2, inputDim: 4, inputLength: 10 })).toThrow(new RegExp(`^km\\.layers\\.${factory} has no option 'inputDim': .*inputShape: \\[inputLength, inputDim\\]`));
    }
    // tfjs declares them, but its sequential model does not build from them.
    expect(() => tfl.sequential({ layers: [tfl.layers.lstm({ units: 2, inputDim: 4, inputLength: 10 })] })).toThrow(/must get an `inputShape` or `batchInputShape`/);
  });

  it('depthwiseConv2d kernelInitializer, kernelRegularizer and kernelConstraint name the depthwise options', () => {
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, kernelInitializer: 'ones' } as never)).toThrow(/^km\.layers\.depthwiseConv2d has no option 'kernelInitializer': .*depthwiseInitializer/);
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, kernelRegularizer: 'l2' } as never)).toThrow(/depthwiseRegularizer/);
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, kernelConstraint: 'nonNeg' } as never)).toThrow(/depthwiseConstraint/);
    expect(() => km.layers.separableConv2d({ filters: 2, kernelSize: 3, kernelInitializer: 'ones' } as never)).toThrow(/depthwiseInitializer and pointwiseInitializer/);
  });
});
