import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '@kerasm/sdk';
import { buildCli, kerasm, sdkBuilt } from './testing/cli_binary.js';
import { makeCallbacks } from './training_setup.js';

/** The event file of one run folder: exactly one, whose records hold these tags. */
async function eventFile(folder: string): Promise<string> {
  const files = await readdir(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\./);
  return (await readFile(join(folder, files[0]!))).toString('latin1');
}

describe.skipIf(!sdkBuilt)('kerasm train --tensorboard', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-tensorboard-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes Keras' train and validation runs, with the epoch values the JSON reports", async () => {
    const logDir = join(dir, 'logs');
    const run = await kerasm('train', '--epochs', '1', '--units', '16', '--validation-split', '0.1', '--json', '--tensorboard', logDir);
    expect(run.code).toBe(0);
    const train = await eventFile(join(logDir, 'train'));
    const validation = await eventFile(join(logDir, 'validation'));
    expect(train).toContain('brain.Event:2');
    for (const tag of ['epoch_loss', 'epoch_accuracy', 'epoch_learning_rate']) expect(train).toContain(tag);
    for (const tag of ['epoch_loss', 'epoch_accuracy']) expect(validation).toContain(tag);
    // The float32 the file holds for epoch_loss is the loss the JSON line reports.
    const loss = (JSON.parse(run.stdout) as { epochs: { loss: number }[] }).epochs[0]!.loss;
    const at = train.indexOf('epoch_loss') + 'epoch_loss'.length;
    expect(train.charCodeAt(at)).toBe(0x15); // simple_value: field 2, fixed32
    expect(Buffer.from(train.slice(at + 1, at + 5), 'latin1').readFloatLE(0)).toBe(Math.fround(loss));
  }, 60_000);

  it('refuses a folder it cannot write before training, naming the flag', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a folder');
    const run = await kerasm('train', '--epochs', '1', '--tensorboard', blocked);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--tensorboard');
    expect(run.stdout).not.toContain('Epoch 1/1');
  }, 60_000);
});

describe.skipIf(!sdkBuilt)("an experiment file's tensorBoard callback", () => {
  it('makes the callback with its logDir, updateFreq and histogramFreq, and names the JSON path of a bad option', () => {
    const [callback] = makeCallbacks([{ type: 'tensorBoard', args: { logDir: '/tmp/kerasm-logs', updateFreq: 'batch', histogramFreq: 2 }, path: 'fit.callbacks[0]' }], 'exp.json');
    expect(callback).toBeInstanceOf(km.callbacks.TensorBoard);
    const { logDir, updateFreq, histogramFreq } = callback as km.callbacks.TensorBoard;
    expect([logDir, updateFreq, histogramFreq]).toEqual(['/tmp/kerasm-logs', 1, 2]);
    expect(() => makeCallbacks([{ type: 'tensorBoard', args: { logDir: '/tmp/kerasm-logs', histogram_freq: 1 }, path: 'fit.callbacks[1]' }], 'exp.json')).toThrow(
      "exp.json: fit.callbacks[1]: km.callbacks.tensorBoard has no option 'histogram_freq'; did you mean 'histogramFreq'?",
    );
    expect(() => makeCallbacks([{ type: 'tensorBoard', args: { logDir: '/tmp/kerasm-logs', histogramFreq: -1 }, path: 'fit.callbacks[2]' }], 'exp.json')).toThrow(
      /^exp\.json: fit\.callbacks\[2\]: km\.callbacks\.tensorBoard: histogramFreq must be a whole number of epochs ≥ 0 .*Received: histogramFreq=-1\./,
    );
  });
});
