import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as km from '@kerasm/sdk';

/** The sequence length the text model is built for, before its saved input forgets it. */
export const TEXT_LENGTH = 5;

/**
 * Saves `model` to `dir` with the sample axes `unknown` lists for each input written as null, as
 * tfjs and Keras save an input of unknown size (None). The model is built at known sizes and the
 * file edited, so that the weights are the same as those of the model loaded at those sizes.
 */
export async function saveWithUnknownDims(model: km.LayersModel, dir: string, unknown: Record<string, number[]>): Promise<void> {
  await model.save(`file://${dir}`);
  const path = join(dir, 'model.json');
  const json = JSON.parse(await readFile(path, 'utf8'));
  for (const layer of json.modelTopology.config.layers) {
    const axes = unknown[layer.name];
    if (layer.class_name !== 'InputLayer' || axes === undefined) continue;
    for (const axis of axes) layer.config.batch_input_shape[axis + 1] = null;
  }
  await writeFile(path, JSON.stringify(json));
}

/** tokens -> Embedding -> GlobalAveragePooling1D -> Dense(3, softmax), compiled; embeddings large enough to tell tokens apart. */
export function textModel(): km.LayersModel {
  const tokens = km.input({ shape: [TEXT_LENGTH], name: 'tokens' });
  const embedded = km.layers.embedding({ inputDim: 10, outputDim: 4, embeddingsInitializer: km.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) }).apply(tokens);
  const pooled = km.layers.globalAveragePooling1d().apply(embedded);
  const model = km.model({ inputs: tokens, outputs: km.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: km.initializers.glorotUniform({ seed: 4 }) }).apply(pooled) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
