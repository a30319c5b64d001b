import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// GroupNormalization between two Dense layers: kerasm's gradients of every weight (gamma and beta,
// and the first Dense's, which reach it only through GroupNormalization's input gradient) against
// float64 finite differences of a naive forward pass written from the definition.
beforeAll(() => km.ready());

const [FEATURES, UNITS, OUT, BATCH, EPSILON] = [3, 6, 2, 3, 1e-3];
const GAMMA_INIT = { className: 'RandomUniform', config: { minval: 0.5, maxval: 1.5, seed: null } };
const BETA_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };

/** One sample's [positions·channels] values normalised per group of channels over all positions. */
function groupNorm(h: number[], channels: number, groups: number, gamma: number[] | null, beta: number[] | null): number[] {
  const cpg = channels / groups;
  const out = new Array<number>(h.length);
  for (let g = 0; g < groups; g++) {
    const members = h.map((_, i) => i).filter((i) => Math.floor((i % channels) / cpg) === g);
    const mean = members.reduce((s, i) => s + h[i], 0) / members.length;
    const variance = members.reduce((s, i) => s + (h[i] - mean) ** 2, 0) / members.length;
    for (const i of members) out[i] = ((h[i] - mean) / Math.sqrt(variance + EPSILON)) * (gamma ? gamma[i % channels] : 1) + (beta ? beta[i % channels] : 0);
  }
  return out;
}

interface Case {
  name: string;
  /** A sample's positions before the features (empty for [FEATURES] samples). */
  positions: number[];
  groups: number;
  center: boolean;
  scale: boolean;
}

const cases: Case[] = [
  { name: '[steps, C], 2 groups', positions: [4], groups: 2, center: true, scale: true },
  { name: '[h, w, C], 3 groups', positions: [2, 3], groups: 3, center: true, scale: true },
  { name: '[C], 2 groups', positions: [], groups: 2, center: true, scale: true },
  { name: '[steps, C], 1 group', positions: [4], groups: 1, center: true, scale: true },
  { name: '[steps, C], groups -1 (instance)', positions: [4], groups: -1, center: true, scale: true },
  { name: 'center false', positions: [4], groups: 2, center: false, scale: true },
  { name: 'neither scale nor center', positions: [4], groups: 3, center: false, scale: false },
];

describe('GroupNormalization: gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(7);
    const random = new Random(19);
    const positions = c.positions.reduce((a, b) => a * b, 1);
    const groups = c.groups === -1 ? UNITS : c.groups;
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [...c.positions, FEATURES], biasInitializer: 'glorotUniform' }),
      km.layers.groupNormalization({ groups: c.groups, center: c.center, scale: c.scale, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      ...(c.positions.length > 0 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    const xs = Array.from({ length: BATCH * positions * FEATURES }, () => random.uniform(-1.5, 1.5));
    const ys = Array.from({ length: BATCH * OUT }, () => random.uniform(-1, 1));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const [w1, b1] = weights;
    let next = 2;
    const gamma = c.scale ? weights[next++] : null;
    const beta = c.center ? weights[next++] : null;
    const [w2, b2] = weights.slice(next);
    expect(gamma?.length ?? UNITS).toBe(UNITS);

    const forward = (sample: number): number[] => {
      const h: number[] = [];
      for (let p = 0; p < positions; p++)
        for (let u = 0; u < UNITS; u++) {
          let s = b1[u];
          for (let k = 0; k < FEATURES; k++) s += xs[(sample * positions + p) * FEATURES + k] * w1[k * UNITS + u];
          h.push(s);
        }
      const a = groupNorm(h, UNITS, groups, gamma, beta);
      return Array.from({ length: OUT }, (_, o) => a.reduce((s, v, i) => s + v * w2[i * OUT + o], b2[o]));
    };
    const loss = () => {
      let total = 0;
      for (let s = 0; s < BATCH; s++) forward(s).forEach((v, o) => (total += (v - ys[s * OUT + o]) ** 2 / OUT));
      return total / BATCH;
    };
    const x = km.tensor(xs, [BATCH, ...c.positions, FEATURES]);
    const predicted = model.predict(x).dataSync();
    Array.from({ length: BATCH }, (_, s) => forward(s)).flat().forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 4));

    const expected = finiteDifferences(weights, loss);
    const names = ['kernel1', 'bias1', ...(c.scale ? ['gamma'] : []), ...(c.center ? ['beta'] : []), 'kernel2', 'bias2'];
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, OUT])), expected, names);
  });
});
