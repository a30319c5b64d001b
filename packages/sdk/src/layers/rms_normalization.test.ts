import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { expectNormalizationGradients, groupsOverAxes1And3, normalizeGroups } from '../testing/normalization_gradients.js';
import { Random } from '../utils/random.js';

// RMSNormalization between two Dense layers: predictions and the gradients of every weight (scale,
// and the first Dense's, which pass through the layer's input gradient) against float64 finite
// differences of a naive forward pass written from Keras 3's definition; then saving and bad options.
beforeAll(() => km.ready());

const [POSITIONS, FEATURES, UNITS, OUT, BATCH] = [3, 4, 5, 2, 4];

/** x / √(mean(x²) + ε) · scale over each group of `group` consecutive values of h. */
function rmsNorm(h: number[], group: number, scale: number[], epsilon: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < h.length; start += group) {
    const row = h.slice(start, start + group);
    const rms = Math.sqrt(row.reduce((a, b) => a + b * b, 0) / group + epsilon);
    row.forEach((v, i) => out.push((v / rms) * scale[i]));
  }
  return out;
}

/** The same over each column of `h` seen as `[rows, cols]` (normalising axis 1 of `[rows, cols]` samples), scale per row. */
function rmsNormColumns(h: number[], rows: number, cols: number, scale: number[], epsilon: number): number[] {
  const out = new Array<number>(h.length);
  for (let c = 0; c < cols; c++) {
    const column = Array.from({ length: rows }, (_, r) => h[r * cols + c]);
    const rms = Math.sqrt(column.reduce((a, b) => a + b * b, 0) / rows + epsilon);
    column.forEach((v, r) => (out[r * cols + c] = (v / rms) * scale[r]));
  }
  return out;
}

const cases: { name: string; inputShape: number[]; axis?: number | number[]; epsilon?: number }[] = [
  { name: 'rank 2, default axis and epsilon', inputShape: [FEATURES] },
  { name: 'rank 3, axis -1 (per position), epsilon 0.1', inputShape: [POSITIONS, FEATURES], axis: -1, epsilon: 0.1 },
  { name: 'rank 3, axis [-2, -1] (per sample)', inputShape: [POSITIONS, FEATURES], axis: [-2, -1] },
  { name: 'rank 3, axis [2, 1] written from the batch, out of order', inputShape: [POSITIONS, FEATURES], axis: [2, 1] },
  { name: 'rank 3, axis 1 (per unit, over the positions), transposed for the kernel', inputShape: [POSITIONS, FEATURES], axis: 1 },
];

describe('RMSNormalization: predictions and gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(5);
    const positions = c.inputShape.length === 2 ? POSITIONS : 1;
    const overPositions = c.axis === 1;
    const perSample = c.axis === undefined || c.axis === -1 ? UNITS : overPositions ? positions : positions * UNITS;
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: c.inputShape, biasInitializer: 'glorotUniform' }),
      km.layers.rmsNormalization({ axis: c.axis, epsilon: c.epsilon }),
      ...(positions > 1 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    const weights: km.Tensor[] = model.getWeights();
    expect(Array.from(weights[2].dataSync())).toEqual(new Array(perSample).fill(1));
    // A scale away from its ones initializer, so a kernel that ignored it would fail.
    const random = new Random(3);
    weights[2] = km.tensor(Array.from({ length: perSample }, () => random.uniform(0.5, 1.5)), weights[2].shape);
    model.setWeights(weights);
    await expectNormalizationGradients({ model, inputShape: c.inputShape, units: UNITS, out: OUT, batch: BATCH, scale: true, center: false, seed: 17 }, (h, scale) =>
      overPositions ? rmsNormColumns(h, positions, UNITS, scale!, c.epsilon ?? 1e-6) : rmsNorm(h, perSample, scale!, c.epsilon ?? 1e-6),
    );
  });
});

describe('RMSNormalization over axes that are not adjacent', () => {
  it('axes [3, 1] of [2, 3, units]: predictions and gradients against float64', async () => {
    km.utils.setRandomSeed(7);
    const [A, X] = [2, 3];
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [A, X, FEATURES], biasInitializer: 'glorotUniform' }),
      km.layers.rmsNormalization({ axis: [3, 1] }),
      km.layers.flatten(),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    const weights: km.Tensor[] = model.getWeights();
    expect(weights[2].shape).toEqual([A, UNITS]);
    const random = new Random(4);
    weights[2] = km.tensor(Array.from({ length: A * UNITS }, () => random.uniform(0.5, 1.5)), [A, UNITS]);
    model.setWeights(weights);
    const groups = groupsOverAxes1And3(A, X, UNITS);
    const overAandUnits = (h: number[], scale: number[] | null) => normalizeGroups(h, groups, (values) => rmsNorm(values, A * UNITS, scale!, 1e-6));
    await expectNormalizationGradients({ model, inputShape: [A, X, FEATURES], units: UNITS, out: OUT, batch: BATCH, scale: true, center: false, seed: 23 }, overAandUnits);
  });
});

describe('RMSNormalization: shapes, config and saving', () => {
  it('keeps the shape; scale spans the normalised axes; the config is Keras 3\'s sorted axes from the batch', () => {
    const layer = km.layers.rmsNormalization({ axis: [-1, -2], epsilon: 1e-5 });
    expect(layer.getConfig()).toMatchObject({ axis: [-1, -2], epsilon: 1e-5 });
    expect(layer.apply(km.input({ shape: [3, 4] })).shape).toEqual([3, 4]);
    expect(layer.weightSpecs.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([['scale', [3, 4]]]);
    expect(layer.getConfig()).toMatchObject({ axis: [1, 2], epsilon: 1e-5 });
  });

  it('saves and loads (class RMSNormalization, snake_case config) with the same predictions', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.dense({ units: 6, inputShape: [2, 3] }),
      km.layers.rmsNormalization({ epsilon: 1e-4 }),
      km.layers.flatten(),
    ]);
    const weights: km.Tensor[] = model.getWeights();
    weights[2] = km.tensor([0.5, 1, 1.5, 2, 2.5, 3], [6]);
    model.setWeights(weights);
    const artifacts = await kerasmArtifacts(model);
    const layer = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[1];
    expect(layer.class_name).toBe('RMSNormalization');
    expect(layer.config).toMatchObject({ axis: [2], epsilon: 1e-4 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor(Float32Array.from({ length: 2 * 6 }, (_, i) => Math.sin(i) + 0.5), [2, 2, 3]);
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), model.predict(x).dataSync())).toBe(0);
    expect(Array.from(reloaded.getWeights()[2].dataSync())).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
  });
});

describe('RMSNormalization bad input', () => {
  it.each([
    [{ epsilon: 0 }, /RMSNormalization layer '.*': epsilon must be a positive number, e\.g\. 1e-6\. Received: epsilon=0/],
    [{ epsilon: '1e-6' }, /epsilon must be a positive number.*Received: epsilon="1e-6"/],
    [{ axis: [] }, /RMSNormalization layer '.*': axis must be an integer or a non-empty list of distinct integers.*Received: axis=\[\]/],
    [{ axis: 1.5 }, /axis must be an integer.*Received: axis=1\.5/],
    [{ center: true }, /km\.layers\.rmsNormalization has no option 'center'/],
  ])('%j', (args, message) => {
    expect(() => km.layers.rmsNormalization(args as km.layers.RMSNormalizationArgs)).toThrow(message);
  });

  it.each([
    [0, /axis 0 is out of range for an input of rank 6.*not the batch axis 0/],
    [[1, 3, 5], /axes \[1,3,5\] of inputs of shape \(None, 3, 4, 2, 2, 2\) alternate with the other axes too often for kerasm's transposes/],
  ])('axis %j on [3, 4, 2, 2, 2] inputs is refused when the model is built', (axis, message) => {
    expect(() => km.sequential([km.layers.rmsNormalization({ axis, inputShape: [3, 4, 2, 2, 2] })])).toThrow(message);
  });
});
