import { describe, expect, it } from 'vitest';
import { parseExperiment } from './experiment_config.js';
import { parseLrSchedule } from './training_flags.js';

const parse = (json: unknown) => parseExperiment(JSON.stringify(json), 'exp.json', (p) => `/base/${p}`);
const base = { data: { source: 'csv', path: 'd.csv', labelColumn: 'y' }, model: [{ type: 'dense', units: 3, inputShape: [4] }] };

describe('parseExperiment', () => {
  it('fills Keras-like defaults and resolves data paths against the config folder', () => {
    const config = parse(base);
    expect(config.data).toEqual({ source: 'csv', path: '/base/d.csv', labelColumn: 'y', delimiter: ',', shuffleBuffer: 10000 });
    expect(config.model).toEqual({ layers: [{ type: 'dense', args: { units: 3, inputShape: [4] }, path: 'model[0]' }] });
    expect(config.compile).toEqual({ optimizer: 'adam', optimizerArgs: {}, schedule: undefined, loss: 'sparseCategoricalCrossentropy', metrics: [] });
    expect(config.fit).toEqual({ epochs: 5, batchSize: 32, validationSplit: 0, callbacks: [] });
    expect(parse({ data: { source: 'mnist' }, model: 'cnn' }).model).toEqual({ named: 'cnn', units: 64 });
  });

  it('reads a file that starts with a UTF-8 byte-order mark', () => {
    expect(parseExperiment(`\uFEFF${JSON.stringify(base)}`, 'exp.json', (p) => `/base/${p}`)).toEqual(parse(base));
  });

  it('resolves a csvLogger filename against the config folder, and requires one', () => {
    expect(parse({ ...base, fit: { callbacks: [{ type: 'csvLogger', filename: 'log.csv', append: true }] } }).fit.callbacks).toEqual([
      { type: 'csvLogger', args: { filename: '/base/log.csv', append: true }, path: 'fit.callbacks[0]' },
    ]);
    expect(() => parse({ ...base, fit: { callbacks: [{ type: 'csvLogger' }] } })).toThrow('exp.json: fit.callbacks[0].filename is undefined; expected a non-empty string.');
  });

  it('resolves a tensorBoard logDir against the config folder, and requires one', () => {
    expect(parse({ ...base, fit: { callbacks: [{ type: 'tensorBoard', logDir: 'logs', updateFreq: 'batch' }] } }).fit.callbacks).toEqual([
      { type: 'tensorBoard', args: { logDir: '/base/logs', updateFreq: 'batch' }, path: 'fit.callbacks[0]' },
    ]);
    expect(() => parse({ ...base, fit: { callbacks: [{ type: 'tensorBoard' }] } })).toThrow('exp.json: fit.callbacks[0].logDir is undefined; expected a non-empty string.');
  });

  it('reads an optimizer object with a learning rate or a schedule, and callbacks', () => {
    const config = parse({ ...base, compile: { optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 } }, fit: { callbacks: [{ type: 'earlyStopping', patience: 2 }] } });
    expect(config.compile.optimizerArgs).toEqual({ learningRate: 0.1, momentum: 0.9 });
    expect(config.fit.callbacks).toEqual([{ type: 'earlyStopping', args: { patience: 2 }, path: 'fit.callbacks[0]' }]);
    const scheduled = parse({ ...base, compile: { optimizer: { type: 'adam', learningRate: 'cosineDecay:decaySteps=100' } } });
    expect(scheduled.compile.schedule).toEqual({ name: 'cosineDecay', args: { decaySteps: 100 } });
    // Without decaySteps, a schedule spans the whole run, exactly as --lr-schedule reads it.
    const overRun = parse({ ...base, compile: { optimizer: { type: 'adam', learningRate: 'cosineDecay' } } }).compile.schedule;
    expect(overRun).toEqual({ name: 'cosineDecay', args: {}, overRun: true });
    expect(overRun).toEqual(parseLrSchedule('cosineDecay'));
    expect(() => parse({ ...base, compile: { optimizer: { type: 'adam', learningRate: 'exponentialDecay:decayRate=0.5' } } })).toThrow(
      "exp.json: Invalid value for compile.optimizer.learningRate: received 'exponentialDecay:decayRate=0.5', expected exponentialDecay with its decaySteps, e.g. exponentialDecay:decaySteps=1000,decayRate=0.9.",
    );
  });

  it('names the JSON path at fault, what it holds and what is expected', () => {
    expect(() => parseExperiment('{ "data": ', 'exp.json', (p) => p)).toThrow(/exp.json is not valid JSON/);
    expect(() => parse([])).toThrow("exp.json: (top level) is []; expected an object.");
    expect(() => parse({ ...base, fit: { epochs: 0 } })).toThrow('exp.json: fit.epochs is 0; expected an integer from 1 to 1000.');
    expect(() => parse({ ...base, fit: { validationSplit: 1 } })).toThrow(/fit.validationSplit is 1; expected a number from 0/);
    expect(() => parse({ ...base, fit: { callbacks: [{ type: 'modelCheckpoint' }] } })).toThrow(/fit.callbacks\[0\].type is "modelCheckpoint"; expected one of "earlyStopping", .*"tensorBoard"/);
    expect(() => parse({ ...base, compile: { optimizer: 'adamm' } })).toThrow(/compile.optimizer is "adamm"; expected one of "adam"/);
    expect(() => parse({ ...base, compile: { optimizer: { type: 'adam', learningRate: -1 } } })).toThrow(/compile.optimizer.learningRate is -1; expected a number > 0/);
    expect(() => parse({ ...base, compile: { optimizer: { type: 'adam', learningRate: 'warp:x=1' } } })).toThrow(/exp.json: Invalid value for compile.optimizer.learningRate/);
    expect(() => parse({ ...base, compile: { metrics: 'accuracy' } })).toThrow(/compile.metrics is "accuracy"; expected a list of metric names/);
    expect(() => parse({ ...base, model: [{ units: 3 }] })).toThrow(/model\[0\].type is undefined; expected the name of the thing to make/);
    expect(() => parse({ ...base, model: 'vgg' })).toThrow(/model is "vgg"; expected one of "mlp", "cnn", "resnet"/);
    expect(() => parse({ model: 'mlp' })).toThrow(/data is undefined; expected \{ "source": "mnist" \}/);
    expect(() => parse({ ...base, data: { source: 'csv', path: 'd.csv' } })).toThrow('exp.json: data.labelColumn is undefined; expected a non-empty string.');
    expect(() => parse({ ...base, data: { source: 'parquet' } })).toThrow(/data.source is "parquet"; expected one of "mnist", "csv"/);
    expect(() => parse({ ...base, data: { source: 'mnist', path: 'd.csv' } })).toThrow('exp.json: data.path is "d.csv"; expected nothing with "source": "mnist" (it is a setting of "source": "csv").');
    expect(() => parse({ ...base, data: { source: 'mnist', columnConfigs: {} } })).toThrow(/data\.columnConfigs is \{\}; expected nothing with "source": "mnist"/);
    expect(() => parse({ ...base, fit: { epoch: 3 } })).toThrow('exp.json: fit.epoch is not a setting here; expected one of epochs, batchSize, validationSplit, callbacks.');
  });
});
