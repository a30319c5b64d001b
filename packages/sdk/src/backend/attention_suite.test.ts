import { describe, it } from 'vitest';
import * as km from '../index.js';
import type { Backend } from './backend.js';
import { backend } from './registry.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';
import { duplicateTokenTask, transformerClassifier } from '../testing/transformer_task.js';
import { paddedSequences } from '../testing/padded_sequences.js';

// batchMatMul (attention's per-head products) on every backend against a naive loop, then a
// transformer block (causal attention with dropout, an explicit mask with the scores as an output,
// the Keras block, grouped-query attention, and the single-head Attention and AdditiveAttention) trained on each backend
// against the wasm backend's loss trajectory.
const random = new Random(37);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));

function naiveBatchMatMul(a: Float32Array, b: Float32Array, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean): number[] {
  const c: number[] = [];
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[p * m * k + (transA ? q * m + i : i * k + q)] * b[p * k * n + (transB ? j * k + q : q * n + j)];
        c.push(s);
      }
  return c;
}

describe.each(BACKENDS_HERE)('attention on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each([
    [false, false, false], [false, true, false], [true, false, false], [false, true, true],
  ])('batchMatMul transA=%s transB=%s accumulate=%s on odd sizes, through views', async (transA, transB, accumulate) => {
    for (const [batch, m, n, k] of [[1, 1, 1, 1], [6, 3, 5, 7], [4, 17, 9, 4]]) {
      const [a, bb, c0] = [draw(batch * m * k), draw(batch * k * n), draw(batch * m * n)];
      // Inside larger buffers, as the layer's workspace regions are.
      const room = b.alloc(batch * m * n + 3, 'float32');
      const c = b.view(room, 3, batch * m * n);
      b.write(c, c0);
      b.batchMatMul(upload(a), upload(bb), c, batch, m, n, k, transA, transB, accumulate);
      const expected = naiveBatchMatMul(a, bb, batch, m, n, k, transA, transB).map((v, i) => v + (accumulate ? c0[i] : 0));
      expectClose(await download(c, batch * m * n), expected);
      b.free(room);
    }
  });

  const sequences = km.tensor(draw(16 * 5 * 3), [16, 5, 3]);
  const labels = km.tensor(Float32Array.from({ length: 16 }, (_, i) => i % 2), [16, 1]);
  const models = {
    'causal self-attention with dropout → GlobalAveragePooling1D → Dense': () => {
      const x = km.input({ shape: [5, 3] });
      const attended = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, dropout: 0.2, useCausalMask: true, biasInitializer: 'glorotUniform' }).apply([x, x]);
      const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(attended)) });
      return { model, x: sequences, y: labels };
    },
    'padded token ids: Embedding(maskZero) → self-attention + residual → masked GlobalAveragePooling1D → Dense': () => {
      const ids = km.input({ shape: [6] });
      const x = km.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }).apply(ids);
      const mixed = km.layers.add().apply([x, km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([x, x])]);
      const model = km.model({ inputs: ids, outputs: km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(mixed)) });
      return { model, x: km.tensor(paddedSequences(16, 6, 9, 1, 5, 'end').tokens, [16, 6], 'int32'), y: labels };
    },
    'an explicit attention mask with causal attention, the scores a second output': () => {
      const [x, m] = [km.input({ shape: [5, 3] }), km.input({ shape: [5, 5] })];
      const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useCausalMask: true, returnAttentionScores: true });
      const [attended, scores] = mha.apply([x, x], { attentionMask: m }) as unknown as km.SymbolicTensor[];
      const model = km.model({ inputs: [x, m], outputs: [km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(attended)), scores] });
      const mask = km.tensor(Float32Array.from({ length: 16 * 25 }, (_, i) => (i % 5 === 0 || (i * 7) % 3 !== 0 ? 1 : 0)), [16, 5, 5]);
      const scoreTargets = km.tensor(Float32Array.from({ length: 16 * 2 * 25 }, (_, i) => (i % 5 === 0 ? 1 : 0)), [16, 2, 5, 5]);
      return { model, x: [sequences, mask], y: [labels, scoreTargets] };
    },
    'Luong and Bahdanau attention (Attention concat, AdditiveAttention causal with dropout) over padded tokens, the scores a second output': () => {
      const [q, v] = [km.input({ shape: [6] }), km.input({ shape: [6] })];
      const embed = (x: km.SymbolicTensor) => km.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }).apply(x);
      const [query, value] = [embed(q), embed(v)];
      const luong = km.layers.attention({ useScale: true }).apply([query, value]);
      const concat = km.layers.attention({ scoreMode: 'concat', useScale: true }).apply([luong, value, query]);
      const [bahdanau, scores] = km.layers.additiveAttention({ useCausalMask: true, dropout: 0.2, returnAttentionScores: true }).apply([concat, value]) as unknown as km.SymbolicTensor[];
      const model = km.model({ inputs: [q, v], outputs: [km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(bahdanau)), scores] });
      const ids = (seed: number) => km.tensor(paddedSequences(16, 6, 9, 1, seed, 'end').tokens, [16, 6], 'int32');
      const scoreTargets = km.tensor(Float32Array.from({ length: 16 * 36 }, (_, i) => (i % 6 === 0 ? 1 : 0)), [16, 6, 6]);
      return { model, x: [ids(5), ids(6)], y: [labels, scoreTargets] };
    },
    'grouped-query attention (four query heads, two key/value heads): causal with dropout and an explicit mask over padded tokens, the scores a second output': () => {
      const [ids, m] = [km.input({ shape: [6] }), km.input({ shape: [6, 6] })];
      const x = km.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }).apply(ids);
      const gqa = km.layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, useCausalMask: true, dropout: 0.2, returnAttentionScores: true, biasInitializer: 'glorotUniform' });
      const [attended, scores] = gqa.apply([x, x], { attentionMask: m }) as unknown as km.SymbolicTensor[];
      const model = km.model({ inputs: [ids, m], outputs: [km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(attended)), scores] });
      const mask = km.tensor(Float32Array.from({ length: 16 * 36 }, (_, i) => (i % 6 === 0 || (i * 5) % 3 !== 0 ? 1 : 0)), [16, 6, 6]);
      const scoreTargets = km.tensor(Float32Array.from({ length: 16 * 4 * 36 }, (_, i) => (i % 6 === 0 ? 1 : 0)), [16, 4, 6, 6]);
      return { model, x: [km.tensor(paddedSequences(16, 6, 9, 1, 7, 'end').tokens, [16, 6], 'int32'), mask], y: [labels, scoreTargets] };
    },
    'the Keras transformer block on token ids, with multi-query attention': () => {
      const { x, y } = duplicateTokenTask(16, 6, 10, 5);
      return { model: transformerClassifier({ length: 6, vocabulary: 10, embedDim: 8, heads: 2, keyValueHeads: 1, feedForward: 8 }), x, y };
    },
    'the Keras transformer block on token ids': () => {
      const { x, y } = duplicateTokenTask(16, 6, 10, 4);
      return { model: transformerClassifier({ length: 6, vocabulary: 10, embedDim: 8, heads: 2, feedForward: 8 }), x, y };
    },
  };

  it.each(Object.entries(models))('%s follows the wasm loss trajectory', async (_label, build) => {
    await expectWasmTrajectory(name, build, 'binaryCrossentropy', 8);
    b = backend();
  });
});
