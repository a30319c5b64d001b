import { expect } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from './reference_ops.js';
import { denseReference, type LstmReferenceOptions } from './recurrent_reference.js';
import { expectGradientsClose, kerasmGradients } from './sgd_gradients.js';
import { Random } from '../utils/random.js';

/** A float64 recurrent layer for one sample, with the options the references take (initial states, mask, returnState). */
export type StateReference = (x: number[][], own: number[][], o: Pick<LstmReferenceOptions, 'initial' | 'mask' | 'returnState' | 'returnSequences'>) => number[][];

export interface StateGradientCase {
  /** The encoder (made with returnState: true) and the decoder, same units, same kind of layer. */
  encoder: km.layers.WithReturnedStates<km.layers.Recurrent>;
  decoder: km.layers.Layer;
  units: number;
  states: number;
  encoderReturnsSequences: boolean;
  /** Pad the encoder's input: steps whose inputs are all 0 are masked (a Masking layer first). */
  masked: boolean;
  reference: StateReference;
}

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

/**
 * An encoder-decoder whose states carry the gradients: x → Dense → encoder(returnState) gives
 * [output, ...states]; y → Dense → decoder(initialState: states); the encoder's output, the decoder's
 * and the encoder's last state are concatenated into Dense(2), so every output of the encoder has two
 * paths back (its state through the decoder and straight to the head). Checks predictions against
 * the float64 references, then every weight's gradient (the Dense layers' too, which the states'
 * and inputs' gradients reach) against finite differences of that reference.
 */
export async function checkStateGradients(seeds: { data: number; weights: number }, c: StateGradientCase): Promise<void> {
  const random = new Random(seeds.data);
  km.utils.setRandomSeed(seeds.weights);
  const [batch, encSteps, decSteps, inFeatures, features] = [3, 4, 3, 2, 3];
  const encIn = km.input({ shape: [encSteps, inFeatures] });
  const decIn = km.input({ shape: [decSteps, inFeatures] });
  const encFirst = c.masked ? km.layers.masking({ maskValue: 0 }).apply(encIn) : encIn;
  const encDense = km.layers.dense({ units: features, biasInitializer: 'glorotUniform' });
  const [encOut, ...states] = c.encoder.apply(encDense.apply(encFirst));
  expect(states.length).toBe(c.states);
  const decDense = km.layers.dense({ units: features, biasInitializer: 'glorotUniform' });
  const decOut = c.decoder.apply(decDense.apply(decIn), { initialState: states });
  const flatEnc = c.encoderReturnsSequences ? km.layers.flatten().apply(encOut) : encOut;
  const head = km.layers.dense({ units: 2 });
  const model = km.model({ inputs: [encIn, decIn], outputs: head.apply(km.layers.concatenate().apply([flatEnc, decOut, states[states.length - 1]])) });
  const owners = [encDense, decDense, c.encoder, c.decoder, head];
  const weights = owners.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
  // model.getWeights() is every layer's weights in model.layers order (all trainable here).
  const order = model.allLayers.filter((l) => l.getWeights().length > 0).map((l) => owners.indexOf(l));
  const sample = () => Array.from({ length: encSteps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5)));
  const xs = Array.from({ length: batch }, sample);
  // Padding: the second sample's last step, the third's first (before goBackwards reverses them).
  const masks = xs.map((_, i) => Array.from({ length: encSteps }, (_, t) => (c.masked && ((i === 1 && t === encSteps - 1) || (i === 2 && t === 0)) ? 0 : 1)));
  xs.forEach((x, i) => x.forEach((step, t) => masks[i][t] === 0 && step.fill(0)));
  const ys = Array.from({ length: batch }, () => Array.from({ length: decSteps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
  const forward = (w: number[][][], i: number): number[] => {
    const encRows = c.reference(denseReference(xs[i], w[0][0], w[0][1]), w[2], { returnSequences: c.encoderReturnsSequences, returnState: true, mask: masks[i] });
    const encStates = encRows.slice(-c.states);
    const decRows = c.reference(denseReference(ys[i], w[1][0], w[1][1]), w[3], { returnSequences: false, initial: encStates });
    return denseReference([[...encRows.slice(0, -c.states).flat(), ...decRows[0], ...encStates[encStates.length - 1]]], w[4][0], w[4][1])[0];
  };
  const x = [km.tensor(xs.flat(2), [batch, encSteps, inFeatures]), km.tensor(ys.flat(2), [batch, decSteps, inFeatures])];
  const predicted = (model.predict(x) as km.Tensor).arraySync() as number[][];
  xs.forEach((_, i) => forward(weights, i).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
  const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  const flat = order.flatMap((k) => weights[k]);
  const expected = finiteDifferences(flat, () => mse(xs.map((_, i) => forward(weights, i)), targets));
  const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
  const names = order.flatMap((k) => owners[k].getWeights().map((_, j) => `${owners[k].name} weight ${j}`));
  expectGradientsClose(grads, expected, names);
}
