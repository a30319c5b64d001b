import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectNormalizationGradients, groupsOverAxes1And3, normalizeGroups } from '../testing/normalization_gradients.js';

// LayerNormalization between two Dense layers: kerasm's gradients of every weight (gamma and beta,
// and the first Dense's, which pass through the layer's input gradient) against float64 finite
// differences of a naive forward pass written from the definition, per position and per sample.
beforeAll(() => km.ready());

const [POSITIONS, FEATURES, UNITS, OUT, BATCH, EPSILON] = [3, 4, 5, 2, 4, 1e-3];
const GAMMA_INIT = { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: null } };
const BETA_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };

/** Normalises each group of `group` consecutive values of h, then scales and shifts (gamma/beta null: absent). */
function layerNorm(h: number[], group: number, gamma: number[] | null, beta: number[] | null): number[] {
  const out: number[] = [];
  for (let start = 0; start < h.length; start += group) {
    const row = h.slice(start, start + group);
    const mean = row.reduce((a, b) => a + b, 0) / group;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / group;
    row.forEach((v, i) => out.push(((v - mean) / Math.sqrt(variance + EPSILON)) * (gamma ? gamma[i] : 1) + (beta ? beta[i] : 0)));
  }
  return out;
}

/** The same over each column of `h` seen as `[rows, cols]` (normalising axis 1 of `[rows, cols]` samples), gamma and beta per row. */
function layerNormColumns(h: number[], rows: number, cols: number, gamma: number[] | null, beta: number[] | null): number[] {
  const out = new Array<number>(h.length);
  for (let c = 0; c < cols; c++) {
    const column = Array.from({ length: rows }, (_, r) => h[r * cols + c]);
    const normalized = layerNorm(column, rows, gamma, beta);
    normalized.forEach((v, r) => (out[r * cols + c] = v));
  }
  return out;
}

interface Case {
  name: string;
  /** Input shape of a sample: [POSITIONS, FEATURES] (rank 3 with the batch) or [FEATURES]. */
  inputShape: number[];
  axis: number | number[];
  center: boolean;
  scale: boolean;
}

const cases: Case[] = [
  { name: 'rank 2, axis -1', inputShape: [FEATURES], axis: -1, center: true, scale: true },
  { name: 'rank 3, axis -1 (per position)', inputShape: [POSITIONS, FEATURES], axis: -1, center: true, scale: true },
  { name: 'rank 3, axis [-2, -1] (per sample)', inputShape: [POSITIONS, FEATURES], axis: [-2, -1], center: true, scale: true },
  { name: 'rank 3, axis [1, 2] written from the batch', inputShape: [POSITIONS, FEATURES], axis: [1, 2], center: true, scale: true },
  { name: 'center false', inputShape: [POSITIONS, FEATURES], axis: -1, center: false, scale: true },
  { name: 'scale false', inputShape: [POSITIONS, FEATURES], axis: -1, center: true, scale: false },
  { name: 'neither scale nor center', inputShape: [FEATURES], axis: -1, center: false, scale: false },
  { name: 'rank 3, axis 1 (per unit, over the positions), transposed for the kernel', inputShape: [POSITIONS, FEATURES], axis: 1, center: true, scale: true },
];

describe('LayerNormalization: gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(5);
    const positions = c.inputShape.length === 2 ? POSITIONS : 1;
    const overPositions = c.axis === 1;
    const perSample = c.axis === -1 ? UNITS : overPositions ? positions : positions * UNITS;
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: c.inputShape, biasInitializer: 'glorotUniform' }),
      km.layers.layerNormalization({ axis: c.axis, center: c.center, scale: c.scale, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      ...(positions > 1 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    if (c.scale) expect(model.getWeights()[2].size).toBe(perSample);
    await expectNormalizationGradients({ model, inputShape: c.inputShape, units: UNITS, out: OUT, batch: BATCH, scale: c.scale, center: c.center, seed: 17 }, (h, gamma, beta) =>
      overPositions ? layerNormColumns(h, positions, UNITS, gamma, beta) : layerNorm(h, perSample, gamma, beta),
    );
  });
});

describe('LayerNormalization over axes that are not adjacent', () => {
  it('axes [1, 3] of [2, 3, units] (each of the 3 middle positions over the other two axes): predictions and gradients against float64', async () => {
    km.utils.setRandomSeed(6);
    const [A, X] = [2, 3];
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [A, X, FEATURES], biasInitializer: 'glorotUniform' }),
      km.layers.layerNormalization({ axis: [1, 3], gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      km.layers.flatten(),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    expect(model.getWeights()[2].shape).toEqual([A, UNITS]);
    const groups = groupsOverAxes1And3(A, X, UNITS);
    const overAandUnits = (h: number[], gamma: number[] | null, beta: number[] | null) => normalizeGroups(h, groups, (values) => layerNorm(values, A * UNITS, gamma, beta));
    await expectNormalizationGradients({ model, inputShape: [A, X, FEATURES], units: UNITS, out: OUT, batch: BATCH, scale: true, center: true, seed: 19 }, overAandUnits);
  });
});
