import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import type { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await km.ready();
});

// Token ids with many 0s (padding anywhere), and features that are often all 0 on a step.
const tokens = (random: Random) => (random.uniform(0, 1) < 0.4 ? 0 : 1 + Math.floor(random.uniform(0, 7)));
const sparse = (random: Random) => (random.uniform(0, 1) < 0.6 ? 0 : random.uniform(-1, 1));

describe('masking layers: LayersModel round trip with tfjs 4.22 (mask_zero, mask_value), both directions', () => {
  it('Embedding(maskZero) → LSTM(returnSequences) → Dense → GRU', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6],
      inputValue: tokens,
      kerasm: () => [
        km.layers.embedding({ inputDim: 8, outputDim: 3, inputShape: [6], maskZero: true }),
        km.layers.lstm({ units: 4, returnSequences: true }),
        km.layers.dense({ units: 3, activation: 'relu' }),
        km.layers.gru({ units: 2 }),
      ],
      tfjs: () => [
        tfl.layers.embedding({ inputDim: 8, outputDim: 3, inputShape: [6], maskZero: true }),
        tfl.layers.lstm({ units: 4, returnSequences: true, unitForgetBias: true }),
        tfl.layers.dense({ units: 3, activation: 'relu' }),
        tfl.layers.gru({ units: 2 }),
      ],
    });
  });

  it('Masking(maskValue 0) → SimpleRNN(goBackwards) → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 2],
      inputValue: sparse,
      kerasm: () => [km.layers.masking({ maskValue: 0, inputShape: [5, 2] }), km.layers.simpleRNN({ units: 3, goBackwards: true }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.masking({ maskValue: 0, inputShape: [5, 2] }), tfl.layers.simpleRNN({ units: 3, goBackwards: true }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('the saved configs carry mask_zero and mask_value', async () => {
    const model = km.sequential([km.layers.masking({ maskValue: -1, inputShape: [4, 2] }), km.layers.lstm({ units: 2 })]);
    const text = km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [4], maskZero: true }), km.layers.lstm({ units: 2 })]);
    let saved: km.io.ModelArtifacts | undefined;
    const capture = km.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    });
    await model.save(capture);
    expect(JSON.stringify(saved!.modelTopology)).toContain('"mask_value":-1');
    await text.save(capture);
    expect(JSON.stringify(saved!.modelTopology)).toContain('"mask_zero":true');
  });
});

describe('GlobalAveragePooling1D after a mask', () => {
  it('averages over the unmasked steps only, as Keras (a naive loop), and trains', async () => {
    const model = km.sequential([km.layers.masking({ inputShape: [4, 2] }), km.layers.globalAveragePooling1d()]);
    // Sample 0: steps 0 and 2 real; sample 1: only step 3; sample 2: none.
    const x = [[1, 2], [0, 0], [3, -4], [0, 0], [0, 0], [0, 0], [0, 0], [5, 6], [0, 0], [0, 0], [0, 0], [0, 0]].flat();
    const out = Array.from(model.predict(km.tensor(x, [3, 4, 2])).dataSync());
    const expected = [2, -1, 5, 6, 0, 0];
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));

    const classifier = km.sequential([
      km.layers.embedding({ inputDim: 6, outputDim: 4, inputShape: [5], maskZero: true }),
      km.layers.globalAveragePooling1d(),
      km.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    classifier.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    // Label: whether token 5 occurs; the padding length varies and would otherwise dilute the average.
    const ids = [[5, 0, 0, 0, 0], [1, 2, 3, 4, 1], [2, 5, 1, 0, 0], [3, 3, 0, 0, 0], [4, 1, 2, 3, 5], [1, 0, 0, 0, 0]];
    const history = await classifier.fit(km.tensor(ids.flat(), [6, 5], 'int32'), km.tensor([1, 0, 1, 0, 1, 0], [6, 1]), { epochs: 40, batchSize: 6, verbose: 0 });
    expect(history.history.loss.at(-1)!).toBeLessThan(history.history.loss[0] / 3);
  });
});

/**
 * Builds the model for 5 and for 9 steps of 3 features with the same weights, and checks that
 * 4 more steps of padding (zeros at the end) change no prediction.
 */
function expectPaddingInvariant(build: (steps: number) => km.LayersModel, seed: number): void {
  const features = 3;
  km.utils.setRandomSeed(seed);
  const [short, long] = [build(5), build(9)];
  long.setWeights(short.getWeights());
  const values = Float32Array.from({ length: 4 * 5 * features }, (_, i) => 0.5 + Math.sin(i));
  const padded = new Float32Array(4 * 9 * features);
  for (let b = 0; b < 4; b++) padded.set(values.subarray(b * 5 * features, (b + 1) * 5 * features), b * 9 * features);
  const a = short.predict(km.tensor(values, [4, 5, features])).dataSync();
  long.predict(km.tensor(padded, [4, 9, features])).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
}

describe('per-step layers pass a mask on', () => {
  it.each([
    ['LayerNormalization', () => km.layers.layerNormalization()],
    ['GaussianNoise', () => km.layers.gaussianNoise({ stddev: 0.2 })],
    ['GaussianDropout', () => km.layers.gaussianDropout({ rate: 0.2 })],
    ['AlphaDropout', () => km.layers.alphaDropout({ rate: 0.2 })],
    ['SpatialDropout1D', () => km.layers.spatialDropout1d({ rate: 0.2 })],
    ['TimeDistributed(Dense)', () => km.layers.timeDistributed({ layer: km.layers.dense({ units: 3 }) })],
    ['Bidirectional(GRU, returnSequences)', () => km.layers.bidirectional({ layer: km.layers.gru({ units: 2, returnSequences: true }) })],
  ] as const)('Masking → %s → LSTM → Dense predicts the same with 4 more padding steps', (_name, middle) => {
    expectPaddingInvariant((steps) => km.sequential([km.layers.masking({ inputShape: [steps, 3] }), middle(), km.layers.lstm({ units: 3 }), km.layers.dense({ units: 1 })]), 5);
  });
});

describe('a residual Add keeps the mask its inputs share', () => {
  it('Masking → Add(x, Dense(x)) → LSTM → Dense predicts the same with 4 more padding steps', () => {
    expectPaddingInvariant((steps) => {
      const input = km.input({ shape: [steps, 3] });
      const x = km.layers.masking().apply(input) as km.SymbolicTensor;
      const mixed = km.layers.add().apply([x, km.layers.dense({ units: 3, activation: 'tanh' }).apply(x) as km.SymbolicTensor]) as km.SymbolicTensor;
      return km.model({ inputs: input, outputs: km.layers.dense({ units: 1 }).apply(km.layers.lstm({ units: 3 }).apply(mixed) as km.SymbolicTensor) as km.SymbolicTensor });
    }, 6);
  });
});

/**
 * A per-step custom layer that copies its (first) input; `masked` says whether its class declares
 * supportsMasking. Given two sequences it returns the first: it passes masks on, but the second's
 * steps are not its output's.
 */
function copyLayer(masked: boolean, name = 'copy', className = 'Copy'): km.layers.Layer {
  class Copy extends km.layers.Layer {
    readonly className = className;
    #size = 0;

    constructor() {
      super({ name }, className);
    }

    override get supportsMasking(): boolean {
      return masked;
    }

    computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
      this.#size = inputShapes[0].reduce((a, b) => a * b, 1);
      return inputShapes[0];
    }

    forward(ctx: km.layers.ForwardContext): void {
      ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.#size);
    }

    backward(): void {}
  }
  return new Copy();
}

describe('masking: bad input gets a clear error', () => {
  it('a mask into Flatten, Conv1D, GlobalMaxPooling1D or a layer that cannot combine two masks is refused at build time, naming the layers and the fix', () => {
    const embedding = () => km.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [6], maskZero: true, name: 'tokens' });
    expect(() => km.sequential([embedding(), km.layers.flatten({ name: 'flat' })]).summary({ printFn: () => undefined })).toThrow(
      /Layer 'flat' \(Flatten\) does not support masking, but its input carries the mask of layer 'tokens' \(Embedding\).*maskZero: false/,
    );
    expect(() => km.sequential([embedding(), km.layers.conv1d({ filters: 2, kernelSize: 2 })]).summary({ printFn: () => undefined })).toThrow(/\(Conv1D\) does not support masking/);
    expect(() => km.sequential([km.layers.masking({ inputShape: [6, 2] }), km.layers.globalMaxPooling1d()]).summary({ printFn: () => undefined })).toThrow(/\(GlobalMaxPooling1D\) does not support masking.*globalAveragePooling1d/);
    const input = km.input({ shape: [6] });
    const a = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true }).apply(input);
    const b = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true }).apply(input);
    // Two different mask sources into one merge: their AND passes on, here to a Flatten, which refuses it naming the merge.
    expect(() => km.model({ inputs: input, outputs: km.layers.flatten().apply(km.layers.add({ name: 'both' }).apply([a, b])) })).toThrow(/\(Flatten\) does not support masking, but its input carries the mask of layer 'both' \(Add\)/);
    // A layer that passes masks on but whose inputs' steps differ from its output's cannot combine them.
    const [long, short] = [km.input({ shape: [6] }), km.input({ shape: [4] })];
    const maskedLong = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, name: 'long' }).apply(long);
    const maskedShort = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, name: 'short' }).apply(short);
    expect(() => km.model({ inputs: [long, short], outputs: copyLayer(true, 'first_of_two', 'FirstOfTwo').apply([maskedLong, maskedShort] as km.SymbolicTensor[]) })).toThrow(
      /Layer 'first_of_two' \(FirstOfTwo\) receives inputs masked by different layers \('long', 'short'\), whose masks it cannot combine into its output's steps\. Consume each mask first/,
    );
    // One source on both sides (a residual) is fine, and the mask passes on to the Flatten, which refuses it.
    expect(() => km.model({ inputs: input, outputs: km.layers.flatten().apply(km.layers.add().apply([a, km.layers.dense({ units: 3 }).apply(a)])) })).toThrow(/\(Flatten\) does not support masking/);
  });

  it('a custom layer without supportsMasking after a mask is told how to declare it; declared, the mask passes through it', () => {
    const build = (copy: km.layers.Layer | null, maskZero = true) => {
      const input = km.input({ shape: [6] });
      const embedded = km.layers.embedding({ inputDim: 12, outputDim: 2, maskZero, name: 'tokens' }).apply(input) as km.SymbolicTensor;
      const x = copy ? (copy.apply(embedded) as km.SymbolicTensor) : embedded;
      return km.model({ inputs: input, outputs: km.layers.lstm({ units: 2 }).apply(x) as km.SymbolicTensor });
    };
    expect(() => build(copyLayer(false))).toThrow(
      /Layer 'copy' \(Copy\) does not support masking, .*A custom layer that passes the mask on \(its output keeps its input's steps\) declares `get supportsMasking\(\) \{ return true; \}` in its class; one that reads ctx\.inputMask and passes none on also declares `get passesMask\(\) \{ return false; \}` \(docs\/CUSTOM_LAYERS\.md\)\.$/,
    );
    // Declared, the LSTM skips the padding as it does with the Embedding's mask straight in.
    const [through, direct, unmasked] = [build(copyLayer(true)), build(null), build(null, false)];
    direct.setWeights(through.getWeights());
    unmasked.setWeights(through.getWeights());
    const ids = km.tensor([[5, 7, 9, 0, 0, 0], [3, 0, 4, 0, 0, 0]]);
    expect(through.predict(ids).arraySync()).toEqual(direct.predict(ids).arraySync());
    expect(through.predict(ids).arraySync()).not.toEqual(unmasked.predict(ids).arraySync());
  });

  it('a mask consumed first is fine: LSTM without returnSequences, then Flatten-free heads build', () => {
    const model = km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [6], maskZero: true }), km.layers.lstm({ units: 2 }), km.layers.dense({ units: 1 })]);
    expect(model.predict(km.tensor(new Int32Array([1, 2, 0, 0, 0, 0]), [1, 6], 'int32')).shape).toEqual([1, 1]);
  });

  it('maskZero and maskValue of the wrong type, Masking on samples without a steps axis, and token ids that are not whole numbers', async () => {
    expect(() => km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: 1 as unknown as boolean })).toThrow(/maskZero must be true or false. Received: maskZero=1/);
    expect(() => km.layers.masking({ maskValue: 'x' as unknown as number })).toThrow(/maskValue must be a finite number. Received: maskValue="x"/);
    expect(() => km.layers.masking({ maskValue: 0, padding: 1 } as never)).toThrow(/padding/);
    expect(() => km.sequential([km.layers.masking({ inputShape: [6] })])).toThrow(/expects sequences of shape \[steps, features\].*Received|received inputs of shape \(None, 6\)/);
    const model = km.sequential([km.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [2], maskZero: true }), km.layers.lstm({ units: 2 })]);
    expect(() => model.predict(km.tensor([1, 0.5], [1, 2]))).toThrow(/holds 0.5 at sample 0 \(position 1 of the sample\)/);
  });
});
