import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, type TrainOptions } from './args.js';
import { UsageError } from './errors.js';
import { buildCli, kerasm, sdkBuilt } from './testing/cli_binary.js';

function trainOptions(...flags: string[]): TrainOptions {
  const command = parseCommandLine(['train', ...flags]);
  if (command.kind !== 'train') throw new Error(`expected a train command, got ${command.kind}`);
  return command.options;
}

function usage(...flags: string[]): string {
  try {
    parseCommandLine(['train', ...flags]);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`expected a UsageError for ${flags.join(' ')}`);
}

describe('kerasm train --quantize', () => {
  it('takes uint8, uint16 and float16 with --save', () => {
    expect(trainOptions('--save', 'm').quantize).toBeUndefined();
    expect(trainOptions('--save', 'm', '--quantize', 'uint8').quantize).toBe('uint8');
    expect(trainOptions('--save', 'm', '--quantize', 'UINT16').quantize).toBe('uint16');
    expect(trainOptions('--quantize=float16', '--save', 'm').quantize).toBe('float16');
  });

  it('refuses another value, naming the valid ones, and --quantize without --save', () => {
    expect(usage('--save', 'm', '--quantize', 'int8')).toMatch(/^Invalid value for --quantize: received 'int8', expected one of uint8, uint16, float16; did you mean 'uint8'\?/);
    expect(usage('--save', 'm', '--quantize', '8')).toMatch(/expected one of uint8, uint16, float16/);
    expect(usage('--quantize', 'uint8')).toMatch(/^--quantize sets how --save stores the weights; give --save DIR with it/);
  });
});

describe.skipIf(!sdkBuilt)('kerasm train --save DIR --quantize (through the built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-quantize-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 2 for an unknown dtype, naming the valid ones, before training', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--save', join(dir, 'never'), '--quantize', 'int4');
    expect(code).toBe(2);
    expect(stderr).toContain("Invalid value for --quantize: received 'int4', expected one of uint8, uint16, float16");
    expect(stdout).not.toContain('Epoch 1/1');
  }, 60_000);

  it('saves uint8 weights, a quarter of the float32 size and without optimizer state, which evaluate reads back', async () => {
    const saved = join(dir, 'uint8');
    const training = await kerasm('train', '--epochs', '1', '--units', '16', '--json', '--save', saved, '--quantize', 'uint8');
    expect(training.code, training.stderr).toBe(0);
    const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
    const specs = json.weightsManifest[0].weights as { group?: string; quantization?: { dtype: string } }[];
    expect(specs.map((s) => s.quantization?.dtype)).toEqual(['uint8', 'uint8', 'uint8', 'uint8']);
    expect(specs.some((s) => s.group === 'optimizer')).toBe(false);
    const params = 784 * 16 + 16 + 16 * 10 + 10;
    const weightsFile = (await readdir(saved)).find((f) => f !== 'model.json')!;
    expect((await stat(join(saved, weightsFile))).size).toBe(params);

    const evaluated = await kerasm('evaluate', saved, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const trainedAccuracy = JSON.parse(training.stdout).test.accuracy;
    // uint8 weights move each prediction a little: the test accuracy stays within a percent.
    expect(Math.abs(JSON.parse(evaluated.stdout).test.accuracy - trainedAccuracy)).toBeLessThan(0.01);
  }, 120_000);
});
