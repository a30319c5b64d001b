import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { skipOpDraws, throughOps } from '../testing/augment_op_layers.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients, expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { augMixOps } from './aug_mix.js';

// Keras 3's AugMix (keras/src/layers/preprocessing/image_preprocessing/aug_mix.py): per batch,
// Dirichlet(α) chain weights, a Beta(α, α) weight m, then per chain and slot an op or nothing, each
// chosen op's draws right after it, from one generator; the output is
// clip(m·x + (1 − m)·Σ wᵢ·chainᵢ(x)). Reference: that mix in float64 over chains run through the
// ops' layers alone, each seeded where the generator reaches its draws.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [3, 5, 4];
const random = new Random(47);
const batch = () => Array.from({ length: n * h * w * 3 }, () => Math.fround(random.uniform(0, 255)));
const [imagesA, imagesB] = [batch(), batch()];
const [xA, xB] = [km.tensor(imagesA, [n, h, w, 3]), km.tensor(imagesB, [n, h, w, 3])];
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

type Range = [number, number];
interface Policy { numChains: number; chainDepth: number; range: Range; alpha: number; allOps: boolean; valueRange: Range }

/** One batch's draws in Keras' order: the chain weights, m, then each chain's ops (name and the state its draws start from). */
function drawBatch(r: Random, p: Policy, size: number) {
  const ops = augMixOps(p.allOps);
  const gammas = Array.from({ length: p.numChains }, () => r.gamma(p.alpha));
  const weights = gammas.map((g) => g / gammas.reduce((a, b) => a + b, 0));
  const m = r.beta(p.alpha, p.alpha);
  const chains = Array.from({ length: p.numChains }, () => {
    const chain: { name: string; state: number }[] = [];
    for (let d = 0; d < p.chainDepth; d++) {
      const k = Math.floor(r.next() * (ops.length + 1));
      if (k < ops.length) chain.push({ name: ops[k], state: skipOpDraws(r, ops[k], p.range, p.valueRange, size) });
    }
    return chain;
  });
  return { weights, m, chains };
}

/** The batches mixed in float64 from the chains run through the ops alone. */
function expected(seed: number, xs: km.Tensor[], p: Policy): number[][] {
  const r = new Random(seed);
  return xs.map((x) => {
    const { weights, m, chains } = drawBatch(r, p, x.shape[0] as number);
    const outs = chains.map((ops) => values(throughOps(x, ops, p.range, p.valueRange)));
    return values(x).map((v, i) => clip(m * v + (1 - m) * outs.reduce((s, out, c) => s + weights[c] * out[i], 0), ...p.valueRange));
  });
}

const policy = (over: Partial<Policy>): Policy => ({ numChains: 3, chainDepth: 3, range: [0, 0.3], alpha: 1, allOps: true, valueRange: [0, 255], ...over });

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each([
    ['the defaults', {}, {}],
    ['allOps false, α 0.5, factor [0.2, 0.6], 4 chains of 2', { numChains: 4, chainDepth: 2, factor: [0.2, 0.6] as Range, alpha: 0.5, allOps: false }, { numChains: 4, chainDepth: 2, range: [0.2, 0.6] as Range, alpha: 0.5, allOps: false }],
  ])('with %s, mixes the chains as Keras does, batch after batch', (_, options, p) => {
    for (const seed of [2, 9]) {
      const layer = km.layers.augMix({ ...options, seed });
      const ys = [xA, xB].map((x) => values(layer.apply(x, { training: true }) as km.Tensor));
      const want = expected(seed, [xA, xB], policy(p));
      expectClose(ys[0], want[0], 1e-4);
      expectClose(ys[1], want[1], 1e-4);
      expect(ys[0]).not.toEqual(imagesA);
    }
  });

  it('keeps outputs in the value range', () => {
    const layer = km.layers.augMix({ valueRange: [0, 1], factor: 1, seed: 4 });
    const x = km.tensor(imagesA.map((v) => v / 255), [n, h, w, 3]);
    for (let i = 0; i < 6; i++) {
      const y = values(layer.apply(x, { training: true }) as km.Tensor);
      expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...y)).toBeLessThanOrEqual(1);
    }
  });

  it('passes images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.augMix({ inputShape: [h, w, 3] })]);
    expect(values(m.predict(xA) as km.Tensor)).toEqual(imagesA);
    expect(values(m.layers[0].apply(xA, { training: false }) as km.Tensor)).toEqual(imagesA);
  });
});

describe('gradients', () => {
  const [k, rows, hh, ww] = [2, 3, 2, 2];
  // Inputs large enough that the final clip cuts some values, so its mask is checked too.
  const inputs = Array.from({ length: rows * k }, () => random.uniform(-3, 3));
  const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
  const p = policy({ numChains: 2, chainDepth: 2, range: [0, 0.4], valueRange: [-1, 1] });
  const model = (seed: number) => km.sequential([
    km.layers.dense({ units: 12, inputShape: [k] }),
    km.layers.reshape({ targetShape: [hh, ww, 3] }),
    km.layers.augMix({ valueRange: [-1, 1], numChains: 2, chainDepth: 2, factor: 0.4, seed }),
    km.layers.flatten(),
  ]);
  /** The first seed whose chains hold only the ops `ok` accepts, at least one of them `want`. */
  const seedWith = (ok: (op: string) => boolean, want: string) => {
    for (let seed = 1; ; seed++) {
      const ops = drawBatch(new Random(seed), p, rows).chains.flat().map((op) => op.name);
      if (ops.every(ok) && ops.includes(want)) return seed;
    }
  };

  it('flow through the mix, the clip and the chains: brightness and contrast (finite differences)', async () => {
    const seed = seedWith((op) => op === 'random_brightness' || op === 'random_contrast', 'random_contrast');
    const r = new Random(seed);
    const { weights, m, chains } = drawBatch(r, p, rows);
    // Each op's per-image draw from its state: brightness adds u·2, contrast scales by u in [1, 1.4].
    const adjust = (data: readonly number[], op: { name: string; state: number }) => {
      const q = new Random(op.state);
      const u = Array.from({ length: rows }, () => q.uniform(...(op.name === 'random_contrast' ? [1, 1.4] : [0, 0.4]) as Range));
      return data.map((v, i) => {
        const b = Math.floor(i / 12);
        let mean = 0;
        for (let px = 0; px < hh * ww; px++) mean += data[b * 12 + px * 3 + (i % 3)] / (hh * ww);
        return op.name === 'random_contrast' ? clip((v - mean) * u[b] + mean, -1, 1) : clip(v + u[b] * 2, -1, 1);
      });
    };
    const mix = (hidden: number[]) => {
      const outs = chains.map((ops) => ops.reduce(adjust, hidden));
      return hidden.map((v, i) => clip(m * v + (1 - m) * outs.reduce((s, out, c) => s + weights[c] * out[i], 0), -1, 1));
    };
    await expectDenseFirstGradients(model(seed), inputs, targets, rows, mix);
  });

  it('pass 0 along a chain that equalizes: only the share of x and of empty chains flows', async () => {
    const seed = seedWith((op) => op === 'equalization', 'equalization');
    const { weights, m, chains } = drawBatch(new Random(seed), p, rows);
    const share = m + (1 - m) * chains.reduce((s, ops, c) => s + (ops.length === 0 ? weights[c] : 0), 0);
    const net = model(seed);
    const hidden = km.tensor(values(net.predict(km.tensor(inputs, [rows, k])) as km.Tensor), [rows, hh, ww, 3]);
    const outs = chains.map((ops) => values(throughOps(hidden, ops, p.range, p.valueRange)));
    const pre = values(hidden).map((v, i) => m * v + (1 - m) * outs.reduce((s, out, c) => s + weights[c] * out[i], 0));
    // d(mean squared error)/d(hidden): the clip's mask times the share that flows.
    const dHidden = pre.map((v, i) => (v > -1 && v < 1 ? (share * 2 * (clip(v, -1, 1) - targets[i])) / targets.length : 0));
    const dKernel = Array.from({ length: k * 12 }, (_, i) => {
      const [q, j] = [Math.floor(i / 12), i % 12];
      return Array.from({ length: rows }, (_, b) => inputs[b * k + q] * dHidden[b * 12 + j]).reduce((a, v) => a + v, 0);
    });
    const dBias = Array.from({ length: 12 }, (_, j) => Array.from({ length: rows }, (_, b) => dHidden[b * 12 + j]).reduce((a, v) => a + v, 0));
    expect(share).toBeLessThan(1);
    expect(pre.some((v) => Math.abs(v) > 1)).toBe(true);
    const grads = await kerasmGradients(net, 'meanSquaredError', km.tensor(inputs, [rows, k]), km.tensor(targets, [rows, 12]));
    expectGradientsClose(grads, [dKernel, dBias], ['kernel', 'bias'], 1e-4);
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.augMix({ valueRange: [1, 0], numChains: 2, chainDepth: 4, factor: 0.5, alpha: 0.7, allOps: false, interpolation: 'nearest', seed: 5, inputShape: [h, w, 3] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('AugMix');
    expect(saved.config).toMatchObject({ value_range: [0, 1], num_chains: 2, chain_depth: 4, factor: [0, 0.5], alpha: 0.7, all_ops: false, interpolation: 'nearest', seed: 5 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    const x = km.tensor(imagesA.map((v) => v / 255), [n, h, w, 3]);
    expect(values(reloaded.layers[0].apply(x, { training: true }) as km.Tensor)).toEqual(values(m.layers[0].apply(x, { training: true }) as km.Tensor));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('AugMix', {
      name: 'aug_mix', trainable: true, dtype: 'float32', data_format: 'channels_last',
      value_range: [0, 255], num_chains: 3, chain_depth: 3, factor: [0, 0.3], alpha: 1.0, all_ops: true, interpolation: 'bilinear', seed: null,
    });
    expect(layer.getConfig()).toMatchObject({ valueRange: [0, 255], numChains: 3, chainDepth: 3, factor: [0, 0.3], alpha: 1, allOps: true, interpolation: 'bilinear', seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.augMix({ numChains: 0 }), /numChains must be the number of chains to mix, a whole number of 1 or more, e.g. numChains: 3.*Received: numChains=0/],
    [() => km.layers.augMix({ chainDepth: -1 }), /chainDepth must be each chain's number of op slots, a whole number of 0 or more, e.g. chainDepth: 3.*Received: chainDepth=-1/],
    [() => km.layers.augMix({ factor: 2 }), /factor must be a number in \[0, 1\].*e.g. factor: 0.3.*Received: factor=2/],
    [() => km.layers.augMix({ alpha: 0 }), /alpha must be a positive number.*e.g. alpha: 1.*Received: alpha=0/],
    [() => km.layers.augMix({ allOps: 'yes' as never }), /allOps must be true .* or false .*Received: allOps="yes"/],
    [() => km.layers.augMix({ interpolation: 'area' as never }), /interpolation must be 'bilinear' or 'nearest'.*Received: interpolation="area"/],
    [() => km.layers.augMix({ num_chains: 2 } as never), /has no option 'num_chains'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses images without 3 channels when colour degeneration is among the ops', () => {
    expect(() => km.sequential([km.layers.augMix({ inputShape: [8, 8, 1] })])).toThrow(/AugMix layer .* runs RandomColorDegeneration among its ops, which refuses these images/);
    expect(() => km.sequential([km.layers.augMix({ allOps: false, inputShape: [8, 8, 1] })])).not.toThrow();
  });
});
