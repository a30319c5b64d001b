import * as tfl from '@tensorflow/tfjs-layers';

/**
 * In tfjs-layers: an inner model `[6] -> trunk -> [digit_head [3], parity_head [1]]` and an outer
 * model built on its first output alone, the structure kerasm's nested-unused-output tests mirror.
 */
export function tfjsDigitOnly(): tfl.LayersModel {
  const input = tfl.input({ shape: [6] });
  const trunk = tfl.layers.dense({ units: 5, activation: 'tanh', name: 'trunk' }).apply(input) as tfl.SymbolicTensor;
  const heads = [tfl.layers.dense({ units: 3, name: 'digit_head' }), tfl.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' })].map((l) => l.apply(trunk) as tfl.SymbolicTensor);
  const inner = tfl.model({ inputs: input, outputs: heads, name: 'inner' });
  const x = tfl.input({ shape: [6] });
  return tfl.model({ inputs: x, outputs: (inner.apply(x) as tfl.SymbolicTensor[])[0] });
}
