// The recurrent layers with dropout, for the tests: the masks a layer draws, reproduced from the seed, and its float64 references.
import * as km from '../index.js';
import { dropoutMaskValues } from '../backend/tfjs/window_ops.js';
import { LayerRandom } from '../layers/layer_random.js';
import type { RecurrentArgs } from '../layers/recurrent.js';
import { gruReference, lstmReference, simpleRnnReference, type LstmReferenceOptions } from './recurrent_reference.js';

/** Per-sample masks: `input[b]` over the features, `recurrent[b]` over the units (undefined at rate 0). */
export interface SampleMasks {
  input?: number[][];
  recurrent?: number[][];
}

/**
 * Seeds the global generator and returns the masks a recurrent layer's next training pass draws
 * from it (the input mask first), through the same seed draws and core-wasm's mask function on the host.
 * `drawsBefore` counts the generator's draws before the layer's (fit without a seed draws its shuffle seed first).
 */
export function masksAfterSeed(seed: number, batch: number, features: number, units: number, rate: number, recurrentRate: number, drawsBefore = 0): SampleMasks {
  km.utils.setRandomSeed(seed);
  // An unseeded layer's draws: from the global generator.
  const unseeded = new LayerRandom(null, 'masksAfterSeed', {});
  for (let i = 0; i < drawsBefore; i++) unseeded.kernelSeed();
  const rows = (n: number, r: number) => {
    const values = dropoutMaskValues(batch * n, r, unseeded.kernelSeed());
    return Array.from({ length: batch }, (_, b) => Array.from(values.subarray(b * n, (b + 1) * n)));
  };
  const input = rate > 0 ? rows(features, rate) : undefined;
  const recurrent = recurrentRate > 0 ? rows(units, recurrentRate) : undefined;
  km.utils.setRandomSeed(seed);
  return { input, recurrent };
}

export interface RecurrentKind {
  name: string;
  make(o: RecurrentArgs): km.layers.Layer;
  /** One sample through the layer's float64 reference, with its weights (kernel, recurrent kernel, bias) flat. */
  reference(x: number[][], weights: number[][], o: Omit<LstmReferenceOptions, 'activation' | 'recurrentActivation'>): number[][];
}

/** LSTM, GRU in both forms, SimpleRNN: each kind with sigmoid gates and its reference. */
export const RECURRENT_KINDS: readonly RecurrentKind[] = [
  {
    name: 'LSTM',
    make: (o) => km.layers.lstm({ ...o, recurrentActivation: 'sigmoid' }),
    reference: (x, [k, r, b], o) => lstmReference(x, k, r, b ?? null, { ...o, activation: 'tanh', recurrentActivation: 'sigmoid' }),
  },
  {
    name: 'GRU (reset before)',
    make: (o) => km.layers.gru({ ...o, recurrentActivation: 'sigmoid' }),
    reference: (x, [k, r, b], o) => gruReference(x, k, r, b ?? null, { ...o, activation: 'tanh', recurrentActivation: 'sigmoid' }),
  },
  {
    name: 'GRU (resetAfter)',
    make: (o) => km.layers.gru({ ...o, recurrentActivation: 'sigmoid', resetAfter: true }),
    reference: (x, [k, r, b], o) => gruReference(x, k, r, b ?? null, { ...o, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true }),
  },
  {
    name: 'SimpleRNN',
    make: (o) => km.layers.simpleRNN(o),
    reference: (x, [k, r, b], o) => simpleRnnReference(x, k, r, b ?? null, { ...o, activation: 'tanh' }),
  },
];
