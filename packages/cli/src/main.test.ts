import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from './png.test.js';
import { createRequire } from 'node:module';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm, kerasmClosingStdout } from './testing/cli_binary.js';
import { saveWithUnknownDims, TEXT_LENGTH, textModel } from './testing/text_model.js';

const sdkBuilt = isResolvable('@kerasm/sdk');

function isResolvable(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

// End to end through the built binary; it needs the SDK built first (`pnpm turbo run build --filter @kerasm/cli`).
describe.skipIf(!sdkBuilt)('kerasm binary', () => {
  beforeAll(buildCli);

  it('trains one epoch and prints exactly one JSON line', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--json', '--seed', '1', '--threads', '2');
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(Object.keys(report)).toEqual(['epochs', 'test', 'samplesPerSecond', 'backend', 'threads']);
    expect(report.threads).toBe(2);
    expect(report.epochs).toHaveLength(1);
    expect(report.epochs[0]).toEqual({
      epoch: 1,
      loss: expect.any(Number),
      accuracy: expect.any(Number),
      seconds: expect.any(Number),
    });
    expect(report.test.loss).toBeGreaterThan(0);
    expect(report.test.accuracy).toBeGreaterThan(0.9);
    expect(report.samplesPerSecond).toBeGreaterThan(0);
    expect(['wasm-simd', 'wasm-relaxed-simd']).toContain(report.backend);
  });

  it('prints the test result and a prediction table for humans', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--verbose', '0', '--seed', '1');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Test loss: \d\.\d{4} {2}Test accuracy: 0\.9\d{3}$/m);
    const table = stdout.slice(stdout.indexOf('image  predicted  true     confidence')).trimEnd().split('\n');
    expect(table).toHaveLength(11);
    for (const row of table.slice(1)) expect(row).toMatch(/^ {4}\d {10}\d {5}\d {2}[✓✗] +\d+\.\d%$/);
  });

  it('finishes and saves the model when its reader closes stdout early (kerasm train | head -1)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-epipe-'));
    try {
      expect(await kerasmClosingStdout('train', '--epochs', '1', '--units', '8', '--save', join(dir, 'model'))).toBe(0);
      expect((await readdir(join(dir, 'model'))).sort()).toEqual(['model.json', expect.stringMatching(/^weights.*\.bin$/)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('trains on a TensorFlow.js backend with --backend and names it in the JSON', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--json', '--backend', 'tfjs-wasm', '--units', '16');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.backend).toBe('tfjs-wasm');
    expect(report.test.accuracy).toBeGreaterThan(0.85);
  });

  it('exits 1 naming the package to install for a backend that is not installed', async () => {
    const { code, stderr } = await kerasm('train', '--epochs', '1', '--backend', 'tfjs-node');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kerasm: Backend 'tfjs-node' needs @tensorflow\/tfjs-node, not installed here. Install it \(npm install @tensorflow\/tfjs-node@4.22.0\)/);
  });

  it('exits 1 with the SDK message for a runtime error', async () => {
    const { code, stderr } = await kerasm('train', '--epochs', '1', '--json', '--validation-split', '0.99999999');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kerasm: validationSplit=0\.99999999 leaves 0 training/);
  });

  it('exits 2 with a message for --epochs 0', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '0');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "kerasm: Invalid value for --epochs: received '0', expected an integer from 1 to 1000.\nRun 'kerasm train --help' for usage.\n",
    );
  });

  it('exits 2 and lists the commands for an unknown command', async () => {
    const { code, stderr } = await kerasm('fit');
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown command 'fit'. Available commands: train, evaluate, predict, summary.");
    expect(stderr).toContain("Run 'kerasm --help' for usage.");
  });

  it('prints help and version', async () => {
    const help = await kerasm('train', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-relaxed-simd');
    expect(help.stdout).toMatch(/lion,\s+ftrl, lamb or adafactor/);
    expect(help.stdout).toContain('--experimental-wasm-relaxed-simd');
    const version = await kerasm('--version');
    expect(version.stdout).toMatch(/^kerasm \d+\.\d+\.\d+/);
  });

  describe('saved models', () => {
    let dir: string;
    let trained: { test: { loss: number; accuracy: number } };
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kerasm-cli-'));
      const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--units', '16', '--json', '--save', join(dir, 'm'));
      expect(code, stderr).toBe(0);
      trained = JSON.parse(stdout);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('evaluate --json reports exactly the test loss and accuracy training printed', async () => {
      const { code, stdout, stderr } = await kerasm('evaluate', join(dir, 'm'), '--json');
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ test: trained.test, samples: 10000 });
    });

    it('predict --count N --json gives N test images with labels and probabilities', async () => {
      const { code, stdout, stderr } = await kerasm('predict', join(dir, 'm'), '--count', '3', '--json');
      expect(code, stderr).toBe(0);
      const { predictions } = JSON.parse(stdout);
      expect(predictions).toHaveLength(3);
      expect(predictions[0].actual).toBe(7);
      for (const p of predictions) {
        expect(p.probabilities).toHaveLength(10);
        expect(p.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
        expect(p.confidence).toBe(Math.max(...p.probabilities));
      }
    });

    it('predict --input reads a PNG (resized) and a JSON array the same way', async () => {
      // A 56x56 "1": a vertical white bar on black, which resizes to a 28x28 bar.
      const pixels = new Uint8Array(56 * 56);
      for (let y = 8; y < 48; y++) for (let x = 26; x < 30; x++) pixels[y * 56 + x] = 255;
      await writeFile(join(dir, 'one.png'), encodePng(56, 56, 1, pixels));
      const small = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (y >= 4 && y < 24 && x >= 13 && x < 15 ? 255 : 0)));
      await writeFile(join(dir, 'one.json'), JSON.stringify(small));
      const fromPng = await kerasm('predict', join(dir, 'm'), '--input', join(dir, 'one.png'), '--json');
      const fromJson = await kerasm('predict', join(dir, 'm'), '--input', join(dir, 'one.json'), '--json');
      expect(fromPng.code, fromPng.stderr).toBe(0);
      expect(JSON.parse(fromPng.stdout)).toEqual(JSON.parse(fromJson.stdout));
      expect(JSON.parse(fromPng.stdout).predictions[0].actual).toBeUndefined();
    });

    it('summary --json lists the layers', async () => {
      const { code, stdout } = await kerasm('summary', join(dir, 'm'), '--json');
      expect(code).toBe(0);
      const summary = JSON.parse(stdout);
      expect(summary.layers.map((l: { className: string }) => l.className)).toEqual(['Flatten', 'Dense', 'Dense']);
      expect(summary.totalParams).toBe(784 * 16 + 16 + 16 * 10 + 10);
    });

    it('summary --expand-nested --show-trainable lists a saved base model\'s layers and which train', async () => {
      const base = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [4], name: 'features' })], name: 'base' });
      base.trainable = false;
      const model = km.sequential([base, km.layers.dense({ units: 2, name: 'head' })]);
      await model.save(`file://${join(dir, 'nested')}`);
      const table = await kerasm('summary', join(dir, 'nested'), '--expand-nested', '--show-trainable');
      expect(table.code, table.stderr).toBe(0);
      const rows = table.stdout.split('\n').slice(3).filter((l) => /^\|* \w+ \(/.test(l)).map((l) => l.replace(/^\|+|\|+$/g, '').trim().split(/\s{2,}/));
      expect(rows).toEqual([
        ['base (Sequential)', '(None, 3)', '15', 'N'],
        ['features (Dense)', '(None, 3)', '15', 'N'],
        ['head (Dense)', '(None, 2)', '8', 'Y'],
      ]);
      const json = JSON.parse((await kerasm('summary', join(dir, 'nested'), '--json', '--expand-nested', '--show-trainable')).stdout);
      expect(json.layers).toEqual([
        { name: 'base', className: 'Sequential', outputShape: [null, 3], params: 15, trainable: false, layers: [{ name: 'features', className: 'Dense', outputShape: [null, 3], params: 15, trainable: false }] },
        { name: 'head', className: 'Dense', outputShape: [null, 2], params: 8, trainable: true },
      ]);
      // Without the flags, the entries as before.
      expect(JSON.parse((await kerasm('summary', join(dir, 'nested'), '--json')).stdout).layers[0]).toEqual({ name: 'base', className: 'Sequential', outputShape: [null, 3], params: 15 });
    });

    // One epoch on 3,000 images (--validation-split 0.95) keeps each run near 15 s here.
    it.each(['cnn', 'resnet'])('train --model %s --save, then evaluate --json reports the same test accuracy', async (name) => {
      const saved = join(dir, name);
      const training = await kerasm('train', '--model', name, '--epochs', '1', '--validation-split', '0.95', '--json', '--save', saved);
      expect(training.code, training.stderr).toBe(0);
      const { test } = JSON.parse(training.stdout);
      const evaluated = await kerasm('evaluate', saved, '--json');
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(JSON.parse(evaluated.stdout)).toEqual({ test, samples: 10000 });
      const summary = JSON.parse((await kerasm('summary', saved, '--json')).stdout);
      expect(summary.layers.map((l: { className: string }) => l.className)).toContain(name === 'cnn' ? 'Conv2D' : 'Add');
      // The JSON records are the table's rows: a functional model's starts with its InputLayer.
      // A row's first line starts with the layer's name; a type too long for the column wraps onto the next line.
      const table = (await kerasm('summary', saved)).stdout.split('\n').flatMap((l) => /^ ([a-z]\w*)(?: \(|\s*$| {2})/.exec(l)?.[1] ?? []);
      expect(summary.layers.map((l: { name: string }) => l.name)).toEqual(table);
      if (name === 'resnet') expect(summary.layers[0]).toEqual({ name: summary.layers[0].name, className: 'InputLayer', outputShape: [null, 28, 28], params: 0 });
    }, 120_000);

    it('exits 1 naming the folder when there is no model, and 2 for bad flags', async () => {
      const missing = await kerasm('evaluate', join(dir, 'nope'), '--json');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^kerasm: Cannot read .*nope\/model\.json \(ENOENT\)/);
      const both = await kerasm('predict', join(dir, 'm'), '--count', '2', '--input', 'x.png');
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('Pass --count (first N test images) or --input FILE (your own image), not both.');
      const badCount = await kerasm('predict', join(dir, 'm'), '--count', '0');
      expect(badCount.code).toBe(2);
      expect(badCount.stderr).toContain("Invalid value for --count: received '0', expected an integer from 1 to 10000.");
      const badInput = await kerasm('predict', join(dir, 'm'), '--input', 'x.gif');
      expect(badInput.code).toBe(2);
      const twoDirs = await kerasm('summary', 'a', 'b');
      expect(twoDirs.code).toBe(2);
      expect(twoDirs.stderr).toContain("needs exactly one model folder (as written by 'kerasm train --save DIR'). Received: 'a', 'b'.");
    });

    it('predict loads a model saved with an unknown input dimension and runs it at the length of the data, as --input-shape fixed to it does', async () => {
      await km.ready();
      const text = join(dir, 'text');
      await saveWithUnknownDims(textModel(), text, { tokens: [0] });
      const csv = join(dir, 'tokens.csv');
      const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
      await writeFile(csv, `${ids.slice(0, TEXT_LENGTH).join(',')}\n${ids.slice(TEXT_LENGTH).join(',')}\n`);
      const expected = (await km.loadLayersModel(text, { inputShapes: { tokens: [TEXT_LENGTH] } })).predict(km.tensor(ids, [2, TEXT_LENGTH])).dataSync();
      for (const flag of [['--input-shape', `tokens=${TEXT_LENGTH}`], []]) {
        const { code, stdout, stderr } = await kerasm('predict', text, '--input', csv, ...flag, '--json');
        expect(code, stderr).toBe(0);
        const probabilities = (JSON.parse(stdout).predictions as { probabilities: number[] }[]).flatMap((p) => p.probabilities);
        expect(probabilities).toHaveLength(expected.length);
        probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
      }
      const summary = JSON.parse((await kerasm('summary', text, '--json')).stdout);
      expect(summary.inputShape).toEqual([null, null]);
      const mismatch = await kerasm('predict', text, '--input', csv, '--input-shape', 'tokens=5,4');
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toMatch(/received 'tokens=5,4', but input 'tokens' was saved with the shape \(None, None\): give 1 size.*\nRun 'kerasm predict --help' for usage\.\n$/);
      expect(mismatch.stderr).not.toContain('inputShapes');
    });
  });
});
