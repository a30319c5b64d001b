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

/** One sample's values normalised per group of channels over all positions; `channelOf` gives each value's channel. */
function groupNorm(h: number[], channels: number, groups: number, gamma: number[] | null, beta: number[] | null, channelOf: (i: number) => number): number[] {
  const cpg = channels / groups;
  const out = new Array<number>(h.length);
  for (let g = 0; g < groups; g++) {
    const members = h.map((_, i) => i).filter((i) => Math.floor(channelOf(i) / cpg) === g);
    const mean = members.reduce((s, i) => s + h[i], 0) / members.length;
    const variance = members.reduce((s, i) => s + (h[i] - mean) ** 2, 0) / members.length;
    for (const i of members) out[i] = ((h[i] - mean) / Math.sqrt(variance + EPSILON)) * (gamma ? gamma[channelOf(i)] : 1) + (beta ? beta[channelOf(i)] : 0);
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
  /** The channel axis, when not the last (the first Dense's units). */
  axis?: number;
}

const cases: Case[] = [
  { name: '[steps, C], 2 groups', positions: [4], groups: 2, center: true, scale: true },
  { name: '[h, w, C], 3 groups', positions: [2, 3], groups: 3, center: true, scale: true },
  { name: '[C], 2 groups', positions: [], groups: 2, center: true, scale: true },
  { name: '[steps, C], 1 group', positions: [4], groups: 1, center: true, scale: true },
  { name: '[steps, C], groups -1 (instance)', positions: [4], groups: -1, center: true, scale: true },
  { name: 'center false', positions: [4], groups: 2, center: false, scale: true },
  { name: 'neither scale nor center', positions: [4], groups: 3, center: false, scale: false },
  { name: '[steps, C] over axis 1 (the steps), 2 groups', positions: [4], groups: 2, center: true, scale: true, axis: 1 },
  { name: '[h, w, C] over axis 2, groups -1', positions: [2, 3], groups: -1, center: true, scale: true, axis: 2 },
  { name: '[h, w, C] over axis -3, 1 group, no center', positions: [2, 3], groups: 1, center: false, scale: true, axis: -3 },
];

describe('GroupNormalization: gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    km.utils.setRandomSeed(7);
    const sample = [...c.positions, UNITS];
    const axis = c.axis === undefined ? sample.length : c.axis < 0 ? c.axis + sample.length + 1 : c.axis;
    const channels = sample[axis - 1];
    const inner = sample.slice(axis).reduce((a, b) => a * b, 1);
    const groups = c.groups === -1 ? channels : c.groups;
    const model = km.sequential([
      km.layers.dense({ units: UNITS, inputShape: [...c.positions, FEATURES], biasInitializer: 'glorotUniform' }),
      km.layers.groupNormalization({ groups: c.groups, axis: c.axis, center: c.center, scale: c.scale, gammaInitializer: GAMMA_INIT, betaInitializer: BETA_INIT }),
      ...(c.positions.length > 0 ? [km.layers.flatten()] : []),
      km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
    ]);
    if (c.scale) expect(model.getWeights()[2].size).toBe(channels);
    const channelOf = (i: number) => Math.floor(i / inner) % channels;
    await expectNormalizationGradients({ model, inputShape: [...c.positions, FEATURES], units: UNITS, out: OUT, batch: BATCH, scale: c.scale, center: c.center, seed: 19 }, (h, gamma, beta) => groupNorm(h, channels, groups, gamma, beta, channelOf));
  });
});
