import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectNormalizationGradients } from '../testing/normalization_gradients.js';

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
    const groups = c.groups === -1 ? UNITS : c.groups;
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [...c.positions, FEATURES], biasInitializer: 'glorotUniform' }),
      km.layers.groupNormalization({ groups: c.groups, center: c.center, scale: c.scale, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      ...(c.positions.length > 0 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    if (c.scale) expect(model.getWeights()[2].size).toBe(UNITS);
    await expectNormalizationGradients({ model, inputShape: [...c.positions, FEATURES], units: UNITS, out: OUT, batch: BATCH, scale: c.scale, center: c.center, seed: 19 }, (h, gamma, beta) => groupNorm(h, UNITS, groups, gamma, beta));
  });
});
