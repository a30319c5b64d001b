import { describe, expect, it } from 'vitest';
import { parseCommandLine, TRAIN_DEFAULTS, type TrainOptions } from './args.js';
import { UsageError } from './errors.js';

function trainOptions(...flags: string[]): TrainOptions {
  const command = parseCommandLine(['train', ...flags]);
  if (command.kind !== 'train') throw new Error(`expected a train command, got ${command.kind}`);
  return command.options;
}

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('commands', () => {
  it('parses help and version flags', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help', topic: 'main' });
    expect(parseCommandLine(['help', 'train'])).toEqual({ kind: 'help', topic: 'train' });
    expect(parseCommandLine(['train', '--help'])).toEqual({ kind: 'help', topic: 'train' });
    expect(parseCommandLine(['train', '--epochs', '0', '-h'])).toEqual({ kind: 'help', topic: 'train' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version', json: false });
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version', json: false });
    expect(parseCommandLine(['--version', '--json'])).toEqual({ kind: 'version', json: true });
    expect(parseCommandLine(['--json', '-V'])).toEqual({ kind: 'version', json: true });
    // The flag before the command reads as `kerasm help COMMAND`.
    expect(parseCommandLine(['--help', 'train'])).toEqual({ kind: 'help', topic: 'train' });
    expect(parseCommandLine(['-h', 'predict'])).toEqual({ kind: 'help', topic: 'predict' });
    expect(usageError(['--help', 'nope']).message).toBe("No help for 'nope'. Available commands: train, evaluate, predict, summary.");
    expect(usageError(['--version', 'train']).message).toBe("Unexpected argument 'train' after --version. Run 'kerasm --version' alone, or put the command first.");
    // --json before the command belongs after it.
    expect(usageError(['--json']).message).toBe("--json goes with --version or after a command: 'kerasm --version --json', or e.g. 'kerasm train --json'.");
    expect(usageError(['--json', 'predict']).message).toBe("--json goes with --version or after a command: 'kerasm --version --json', or e.g. 'kerasm predict --json'.");
  });

  it('lists the commands for a missing or unknown command', () => {
    for (const argv of [[], ['trian'], ['help', 'nope']]) {
      const err = usageError(argv);
      expect(err.message).toContain('Available commands: train');
      expect(err.helpCommand).toBe('kerasm --help');
    }
    expect(usageError(['trian']).message).toBe("Unknown command 'trian'; did you mean 'train'? Available commands: train, evaluate, predict, summary.");
    expect(usageError(['fit']).message).toBe("Unknown command 'fit'. Available commands: train, evaluate, predict, summary.");
  });

  it('rejects unknown top-level flags, naming them and the valid ones', () => {
    const err = usageError(['--epochs', '3']);
    expect(err.message).toContain("Unknown option '--epochs' for 'kerasm'");
    expect(err.message).toContain('--help, --version');
  });
});

describe('kerasm train options', () => {
  it('defaults to the reference program', () => {
    expect(parseCommandLine(['train'])).toEqual({ kind: 'train', options: { ...TRAIN_DEFAULTS }, warnings: [] });
    expect(TRAIN_DEFAULTS).toEqual({
      epochs: 5,
      batchSize: 64,
      units: 64,
      learningRate: 0.001,
      seed: 1,
      validationSplit: 0,
      verbose: 1,
      json: false,
      relaxedSimd: true,
      backend: 'wasm',
      model: 'mlp',
      optimizer: 'adam',
    });
  });

  it('takes --threads within its range, and warns that tfjs backends ignore it', () => {
    expect(trainOptions('--threads', '3').threads).toBe(3);
    expect(trainOptions().threads).toBeUndefined();
    expect(() => trainOptions('--threads', '0')).toThrow("Invalid value for --threads: received '0', expected an integer from 1 to 256.");
    expect(() => trainOptions('--threads', 'all')).toThrow("Invalid value for --threads: received 'all'");
    const parsed = parseCommandLine(['train', '--threads', '2', '--backend', 'tfjs-cpu']);
    expect(parsed.kind === 'train' && parsed.warnings).toEqual(['--threads is ignored with --backend tfjs-cpu: it sets the threads of kerasm\'s wasm backend only.']);
  });

  it('takes a Node backend and explains the browser-only ones', () => {
    expect(trainOptions('--backend', 'tfjs-cpu').backend).toBe('tfjs-cpu');
    expect(() => trainOptions('--backend', 'tfjs-webgl')).toThrow("Invalid value for --backend: received 'tfjs-webgl', expected one of wasm, tfjs-wasm, tfjs-cpu, tfjs-node, tfjs-node-gpu. tfjs-webgl runs only in browsers (see the web demo).");
    expect(() => trainOptions('--backend', 'gpu')).toThrow("Invalid value for --backend: received 'gpu', expected one of wasm, tfjs-wasm, tfjs-cpu, tfjs-node, tfjs-node-gpu.");
    expect(usageError(['train', '--backend', 'tfjs-gpu']).message).toBe("Invalid value for --backend: received 'tfjs-gpu', expected one of wasm, tfjs-wasm, tfjs-cpu, tfjs-node, tfjs-node-gpu.");
    // TensorFlow.js' own names point at kerasm's.
    expect(() => trainOptions('--backend', 'cpu')).toThrow("expected one of wasm, tfjs-wasm, tfjs-cpu, tfjs-node, tfjs-node-gpu. TensorFlow.js' 'cpu' backend is kerasm's tfjs-cpu.");
    expect(() => trainOptions('--backend', 'webgl')).toThrow("TensorFlow.js' 'webgl' backend is kerasm's tfjs-webgl. tfjs-webgl runs only in browsers (see the web demo).");
  });

  it('reads each flag', () => {
    expect(trainOptions('--epochs', '3').epochs).toBe(3);
    expect(trainOptions('--epochs=12').epochs).toBe(12);
    expect(trainOptions('--batch-size', '128').batchSize).toBe(128);
    expect(trainOptions('--units', '256').units).toBe(256);
    expect(trainOptions('--learning-rate', '0.01').learningRate).toBe(0.01);
    expect(trainOptions('--learning-rate', '1e-4').learningRate).toBe(0.0001);
    expect(trainOptions('--learning-rate', '1').learningRate).toBe(1);
    expect(trainOptions('--seed', '0').seed).toBe(0);
    expect(trainOptions('--seed', '4294967295').seed).toBe(4294967295);
    expect(trainOptions('--validation-split', '0').validationSplit).toBe(0);
    expect(trainOptions('--validation-split', '.2').validationSplit).toBe(0.2);
    expect(trainOptions('--verbose', '0').verbose).toBe(0);
    expect(trainOptions('--verbose', '1').verbose).toBe(1);
    expect(trainOptions('--json').json).toBe(true);
    expect(trainOptions('--no-relaxed-simd').relaxedSimd).toBe(false);
    expect(trainOptions('--tensorboard', 'logs/run-1').tensorboard).toBe('logs/run-1');
    expect(() => parseCommandLine(['train', '--tensorboard', ' '])).toThrow("Invalid value for --tensorboard: received ' ', expected a folder for the TensorBoard event files, e.g. --tensorboard logs/run-1.");
  });

  it('combines flags', () => {
    expect(trainOptions('--epochs', '2', '--units', '32', '--seed', '7')).toEqual({
      ...TRAIN_DEFAULTS,
      epochs: 2,
      units: 32,
      seed: 7,
    });
  });

  it('refuses a flag given twice with different values, naming both, rather than keeping the last', () => {
    const err = usageError(['train', '--epochs', '2', '--units', '32', '--epochs', '4']);
    expect(err.message).toBe("Option '--epochs' was given twice, as '2' and then '4'; 'kerasm train' takes each option once. Keep the one you mean, e.g. '--epochs 4'.");
    expect(err.helpCommand).toBe('kerasm train --help');
    expect(usageError(['train', '--save=a', '--save', 'b']).message).toContain("Option '--save' was given twice, as 'a' and then 'b'");
    expect(usageError(['train', '--seed', '3', '--seed=-1']).message).toContain("Keep the one you mean, e.g. '--seed=-1'.");
    // Saying the same thing twice is no conflict.
    expect(trainOptions('--epochs', '4', '--epochs=4', '--json', '--json').epochs).toBe(4);
  });

  it('turns the progress bar off with --json, warning only when --verbose 1 was asked for', () => {
    const quiet = parseCommandLine(['train', '--json']);
    expect(quiet).toMatchObject({ options: { json: true, verbose: 0 }, warnings: [] });
    const loud = parseCommandLine(['train', '--json', '--verbose', '1']);
    expect(loud).toMatchObject({ options: { json: true, verbose: 0 } });
    expect(loud.kind === 'train' && loud.warnings[0]).toContain('--verbose 1 is ignored with --json');
  });

  const invalid: Array<[string[], string, string]> = [
    [['--epochs', '0'], "Invalid value for --epochs: received '0'", 'an integer from 1 to 1000'],
    [['--epochs', '1001'], "received '1001'", 'an integer from 1 to 1000'],
    [['--epochs', '2.5'], "received '2.5'", 'an integer'],
    [['--epochs', 'five'], "received 'five'", 'an integer'],
    [['--epochs', '0x10'], "received '0x10'", 'an integer'],
    [['--epochs='], "received ''", 'an integer'],
    [['--batch-size', '0'], "Invalid value for --batch-size: received '0'", 'an integer from 1 to 60000'],
    [['--batch-size', '64.0'], "received '64.0'", 'an integer from 1 to 60000'],
    [['--units', '0'], "Invalid value for --units: received '0'", 'an integer from 1 to 4096'],
    [['--units', '5000'], "received '5000'", 'an integer from 1 to 4096'],
    [['--learning-rate', '0'], "Invalid value for --learning-rate: received '0'", 'greater than 0 and at most 1'],
    [['--learning-rate', '1.5'], "received '1.5'", 'greater than 0 and at most 1'],
    [['--learning-rate', 'fast'], "received 'fast'", 'greater than 0'],
    [['--learning-rate', 'Infinity'], "received 'Infinity'", 'greater than 0'],
    [['--learning-rate=-0.1'], "received '-0.1'", 'greater than 0'],
    [['--seed', '1.5'], "Invalid value for --seed: received '1.5'", 'an integer from 0 to 4294967295'],
    [['--seed', '4294967296'], "received '4294967296'", 'an integer from 0 to 4294967295'],
    [['--seed', '-1'], "Invalid value for --seed: received '-1'", 'an integer from 0 to 4294967295'],
    [['--validation-split', '1'], "Invalid value for --validation-split: received '1'", 'from 0 (inclusive) to 1 (exclusive)'],
    [['--validation-split', '-0.1'], "received '-0.1'", 'from 0 (inclusive) to 1 (exclusive)'],
    [['--validation-split', 'half'], "received 'half'", 'from 0 (inclusive) to 1 (exclusive)'],
    [['--verbose', '2'], "Invalid value for --verbose: received '2'", '0 (no progress bar) or 1'],
    [['--verbose', 'true'], "received 'true'", '0 (no progress bar) or 1'],
  ];
  it.each(invalid)('rejects %j, naming the flag, the value and what is valid', (flags, received, expected) => {
    const err = usageError(['train', ...flags]);
    expect(err.message).toContain(received);
    expect(err.message).toContain(`expected ${expected}`.slice(0, 9));
    expect(err.message).toContain(expected);
    expect(err.helpCommand).toBe('kerasm train --help');
  });

  it('rejects unknown flags, listing the valid ones', () => {
    const err = usageError(['train', '--epoch', '3']);
    expect(err.message).toContain("Unknown option '--epoch' for 'kerasm train'; did you mean '--epochs'? Valid options: --epochs <value>,");
    expect(usageError(['train', '--learnig-rate', '0.1']).message).toContain("did you mean '--learning-rate'?");
    expect(err.message).toContain('--epochs <value>');
    expect(err.message).toContain('--no-relaxed-simd');
    expect(err.helpCommand).toBe('kerasm train --help');
    expect(usageError(['train', '-x']).message).toContain("Unknown option '-x'");
  });

  it('rejects a flag without its value', () => {
    expect(usageError(['train', '--epochs']).message).toContain("Option '--epochs' needs a value, but received none");
    const err = usageError(['train', '--epochs', '--json']);
    expect(err.message).toContain("Option '--epochs' needs a value, but received the flag-like '--json'");
  });

  it('rejects a value given to a switch', () => {
    const err = usageError(['train', '--json=yes']);
    expect(err.message).toContain("Option '--json' takes no value, but received 'yes'");
  });

  it('refuses a --save path that names a file (model.json, a Keras .keras or .h5) rather than a folder', () => {
    for (const path of ['models/m/model.json', 'classifier.keras', 'weights.h5']) {
      expect(() => parseCommandLine(['train', '--save', path])).toThrow(`Invalid value for --save: received '${path}', expected a folder to save the model to (it then holds model.json and the weights), e.g. --save models/mnist.`);
    }
  });

  it('rejects positional arguments', () => {
    const err = usageError(['train', 'mnist']);
    expect(err.message).toContain("Unexpected argument 'mnist'");
    expect(err.message).toContain('Valid options:');
  });
});

describe('kerasm train --model', () => {
  it('defaults to the reference MLP and accepts cnn and resnet', () => {
    const parsed = (argv: string[]) => parseCommandLine(argv) as { options: { model: string } };
    expect(parsed(['train']).options.model).toBe('mlp');
    expect(parsed(['train', '--model', 'cnn']).options.model).toBe('cnn');
    expect(parsed(['train', '--model', 'resnet']).options.model).toBe('resnet');
  });

  it("takes the batch size, learning rate and schedule from the model's recipe unless flags set them", () => {
    const options = (...argv: string[]) => (parseCommandLine(['train', ...argv]) as { options: TrainOptions }).options;
    expect(options()).toMatchObject({ batchSize: 64, learningRate: 0.001 });
    expect(options().lrSchedule).toBeUndefined();
    expect(options('--model', 'cnn')).toMatchObject({ batchSize: 32, learningRate: 0.003, lrSchedule: { name: 'cosineDecay', args: {}, overRun: true } });
    expect(options('--model', 'cnn', '--batch-size', '64', '--learning-rate', '0.001')).toMatchObject({ batchSize: 64, learningRate: 0.001 });
    expect(options('--model', 'cnn', '--lr-schedule', 'constant').lrSchedule).toBeUndefined();
    expect(options('--model', 'cnn', '--lr-schedule', 'exponentialDecay:decaySteps=100,decayRate=0.5').lrSchedule).toEqual({ name: 'exponentialDecay', args: { decaySteps: 100, decayRate: 0.5 } });
  });

  it('warns that --units is ignored by the networks it does not size', () => {
    const warnings = (...argv: string[]) => (parseCommandLine(['train', ...argv]) as { warnings: string[] }).warnings;
    expect(warnings('--model', 'cnn', '--units', '128')).toEqual(["--units is ignored with --model cnn: it sets the hidden units of the mlp's first Dense layer only."]);
    expect(warnings('--model', 'resnet', '--units', '128')).toEqual(["--units is ignored with --model resnet: it sets the hidden units of the mlp's first Dense layer only."]);
    expect(warnings('--units', '128')).toEqual([]);
  });

  it('rejects an unknown network, naming the valid ones', () => {
    expect(() => parseCommandLine(['train', '--model', 'vgg'])).toThrow("Invalid value for --model: received 'vgg', expected one of mlp, cnn, resnet.");
    expect(() => parseCommandLine(['train', '--model', 'resnt'])).toThrow("Invalid value for --model: received 'resnt', expected one of mlp, cnn, resnet; did you mean 'resnet'?");
  });
});
