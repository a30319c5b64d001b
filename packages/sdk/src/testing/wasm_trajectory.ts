import { expect } from 'vitest';
import type { Loss, LossName } from '../losses/losses.js';
import * as km from '../index.js';
import { useBackend } from './backends_here.js';

/** A small model and its data, built afresh for each backend. */
export interface TrainingCase {
  model: km.LayersModel;
  x: km.ModelInputs;
  y: km.ModelTargets;
}

async function lossTrajectory(on: string, build: () => TrainingCase, loss: LossName | Loss, batchSize: number): Promise<number[]> {
  await useBackend(on);
  km.utils.setRandomSeed(13);
  const { model, x, y } = build();
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss });
  return (await model.fit(x, y, { epochs: 3, batchSize, seed: 2, verbose: 0 })).history.loss;
}

/**
 * Trains the case for 3 epochs on wasm and on `name` from the same seeds and checks that the losses
 * agree within 1e-4 and that they move; the suite is left on `name`.
 */
export async function expectWasmTrajectory(name: string, build: () => TrainingCase, loss: LossName | Loss, batchSize: number): Promise<void> {
  const reference = await lossTrajectory('wasm', build, loss, batchSize);
  const ours = await lossTrajectory(name, build, loss, batchSize);
  ours.forEach((l, i) => expect(Math.abs(l - reference[i])).toBeLessThan(1e-4));
  expect(reference[2]).not.toBe(reference[0]);
  await useBackend(name);
}
