import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm } from './testing/cli_binary.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

describe('kerasm train --config (through the built binary)', () => {
  beforeAll(buildCli);

  it('trains the tabular example through km.data.csv to a sane test accuracy', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--config', join(examples, 'blobs.json'), '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim());
    expect(report.evaluatedOn).toBe('test');
    // As for MNIST, the threads that ran the kernels (train --help documents it for both).
    expect(report.threads).toEqual(expect.any(Number));
    expect(report.epochs.length).toBeGreaterThanOrEqual(3);
    expect(report.epochs[0].val_loss).toEqual(expect.any(Number));
    expect(report.epochs.at(-1).loss).toBeLessThan(report.epochs[0].loss);
    // Three well-separated classes: chance is 1/3.
    expect(report.test.accuracy).toBeGreaterThan(0.9);
  });

  it('exits 2 naming the file and JSON path at fault, before training, and 1 for a missing config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-'));
    const data = { source: 'csv', path: join(examples, 'blobs-train.csv'), labelColumn: 'label' };
    const failure = async (name: string, config: object) => {
      const path = join(dir, name);
      await writeFile(path, JSON.stringify(config));
      const { code, stdout, stderr } = await kerasm('train', '--config', path);
      expect(stdout).toBe('');
      return { code, stderr: stderr.replace(path, name) };
    };
    const dense = (units: number, inputShape = [4]) => [{ type: 'dense', units, inputShape }, { type: 'dense', units: 3, activation: 'softmax' }];
    expect(await failure('bad.json', { data, model: 'mlp', fit: { batchSize: 0 } })).toEqual({ code: 2, stderr: expect.stringContaining('bad.json: fit.batchSize is 0; expected an integer from 1 to 60000.') });
    expect(await failure('layer.json', { data, model: dense(-3) })).toEqual({ code: 2, stderr: expect.stringMatching(/^kerasm: layer\.json: model\[0\]: .*units=-3/) });
    expect(await failure('units0.json', { data, model: dense(0) })).toEqual({ code: 2, stderr: expect.stringMatching(/^kerasm: units0\.json: model\[0\]: .*units=0/) });
    const typo = await failure('typo.json', { data, model: [{ type: 'dnese', units: 3, inputShape: [4] }] });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^kerasm: typo\.json: model\[0\]\.type is "dnese"; did you mean "dense"\? Expected a km\.layers factory that takes one input: .*batchNormalization/);
    expect(typo.stderr).not.toMatch(/factory that takes one input:[^\n]*bidirectional/);
    expect(await failure('stack.json', { data, model: [{ type: 'dense', units: 4, inputShape: [4] }, { type: 'conv2d', filters: 2, kernelSize: 3 }] })).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^kerasm: stack\.json: model: Conv2D layer 'conv2d' expects inputs of shape/),
    });
    expect(await failure('loss.json', { data, model: dense(3), compile: { loss: 'crossentropy' } })).toEqual({ code: 2, stderr: expect.stringMatching(/^kerasm: loss\.json: compile: Unknown loss 'crossentropy'/) });
    expect(await failure('shape.json', { data, model: dense(3, [5]) })).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^kerasm: shape\.json: the model takes samples of shape \[5\] \(5 values\), but data\.path .*blobs-train\.csv has 4 feature columns \(sepal, petal, stem, leaf\)\. Set model\[0\]\.inputShape to \[4\]\./),
    });
    expect(await failure('label.json', { data: { ...data, labelColumn: 'target' }, model: dense(3) })).toEqual({ code: 2, stderr: expect.stringContaining('label.json: data.labelColumn is "target", but data.path') });
    const swapped = join(dir, 'swapped.csv');
    await writeFile(swapped, 'petal,sepal,stem,leaf,label\n1,2,3,4,0\n');
    expect(await failure('test.json', { data: { ...data, testPath: swapped }, model: dense(3) })).toEqual({
      code: 2,
      stderr: expect.stringContaining(`test.json: data.testPath ${swapped} has the feature columns petal, sepal, stem, leaf, but data.path ${data.path} has sepal, petal, stem, leaf. Give data.testPath the same columns in the same order.`),
    });
    const semicolons = join(dir, 'semicolons.csv');
    await writeFile(semicolons, 'a;b;c;d;label\n1;2;3;4;0\n');
    expect(await failure('delimiter.json', { data: { ...data, path: semicolons }, model: dense(3) })).toEqual({ code: 2, stderr: expect.stringContaining('looks separated by ";". Set "delimiter": ";" in data.') });
    const badLabel = join(dir, 'label7.csv');
    await writeFile(badLabel, 'a,b,c,d,label\n1,2,3,4,0\n1,2,3,4,7\n');
    expect(await failure('classes.json', { data: { ...data, path: badLabel }, model: dense(3) })).toEqual({
      code: 2,
      stderr: expect.stringContaining(`classes.json: data.path ${badLabel}, line 3: label 7 is out of range for the model's 3-class output (valid labels: 0 to 2).`),
    });
    // A relative data path is read from the config's folder, and the message says so.
    expect(await failure('nocsv.json', { data: { ...data, path: 'nope.csv' }, model: dense(3) })).toEqual({
      code: 2,
      stderr: expect.stringContaining(`data.path: no file at ${join(dir, 'nope.csv')}. Relative paths in a config start from its folder, ${dir}; correct data.path.`),
    });
    // Settings no CSV can train with are config errors too, found before the first epoch.
    expect(await failure('split.json', { data, model: dense(3), fit: { validationSplit: 0.9999 } })).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^kerasm: split\.json: fit\.validationSplit is 0\.9999, which holds out all \d+ rows of data\.path .*, leaving none to train on\. Lower fit\.validationSplit/),
    });
    expect(await failure('mse.json', { data, model: dense(3), compile: { loss: 'meanSquaredError' } })).toEqual({
      code: 2,
      stderr: expect.stringContaining(
        'mse.json: compile.loss is "meanSquaredError", which compares each of the model\'s 3 output values with a target of its own, but data.labelColumn "label" holds one value a row. ' +
          'For class labels set compile.loss to "sparseCategoricalCrossentropy" (or "categoricalCrossentropy"); for one target value a sample give model[1] 1 unit.',
      ),
    });
    const watching = (callback: object, validationSplit: number) => ({ data, model: dense(3), compile: { metrics: ['accuracy'] }, fit: { validationSplit, callbacks: [callback] } });
    expect(await failure('monitor.json', watching({ type: 'earlyStopping', monitor: 'val_los' }, 0.2))).toEqual({
      code: 2,
      stderr: expect.stringContaining("monitor.json: fit.callbacks[0].monitor: EarlyStopping monitors 'val_los', which fit does not log; did you mean 'val_loss'? fit logs: loss, accuracy, val_loss, val_accuracy."),
    });
    expect(await failure('auc.json', watching({ type: 'earlyStopping', monitor: 'auc' }, 0.2))).toEqual({
      code: 2,
      stderr: expect.stringContaining("auc.json: fit.callbacks[0].monitor: EarlyStopping monitors 'auc', which fit does not log. fit logs: loss, accuracy, val_loss, val_accuracy; monitor one of those."),
    });
    expect(await failure('nosplit.json', watching({ type: 'reduceLROnPlateau' }, 0))).toEqual({
      code: 2,
      stderr: expect.stringContaining(
        "nosplit.json: fit.callbacks[0].monitor (not set, so the default): ReduceLROnPlateau monitors 'val_loss', but fit has no validation data: give fit validationData or validationSplit, or monitor 'loss'.",
      ),
    });
    const logger = (filename: string) => ({ data, model: dense(3), fit: { epochs: 1, callbacks: [{ type: 'csvLogger', filename }] } });
    expect(await failure('nolog.json', logger('no-folder/log.csv'))).toEqual({
      code: 2,
      stderr: expect.stringContaining(`nolog.json: fit.callbacks[0].filename: cannot write ${join(dir, 'no-folder/log.csv')}: its folder ${join(dir, 'no-folder')} does not exist. Nothing was trained;`),
    });
    await writeFile(join(dir, 'log.json'), JSON.stringify(logger('log.csv')));
    const logged = await kerasm('train', '--config', join(dir, 'log.json'), '--verbose', '0');
    expect(logged.code, logged.stderr).toBe(0);
    expect((await readFile(join(dir, 'log.csv'), 'utf8')).split('\n')[0]).toMatch(/^epoch,/);
    const missing = await kerasm('train', '--config', join(dir, 'none.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Could not read the config file .*none\.json/);
  });

  it('fills empty cells from data.columnConfigs, and without it stops before training naming that setting; the test file is checked first too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-defaults-'));
    const holes = join(dir, 'holes.csv');
    await writeFile(holes, 'a,b,label\n1,2,0\n,3,1\n2,1,0\n0,4,1\n');
    const model = [{ type: 'dense', units: 2, activation: 'softmax', inputShape: [2] }];
    const run = async (name: string, data: object) => {
      const path = join(dir, name);
      await writeFile(path, JSON.stringify({ data: { source: 'csv', labelColumn: 'label', ...data }, model, fit: { epochs: 1, validationSplit: 0 } }));
      return kerasm('train', '--config', path, '--json');
    };
    const filled = await run('filled.json', { path: holes, columnConfigs: { a: { default: 0 } } });
    expect(filled.code, filled.stderr).toBe(0);
    expect(JSON.parse(filled.stdout.trim()).epochs).toHaveLength(1);
    const full = join(dir, 'full.csv');
    await writeFile(full, 'a,b,label\n1,2,0\n2,3,1\n');
    const empty = await run('empty.json', { path: full, testPath: holes });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`line 3, column 'a' (column 1) is empty. Fill in the value, drop the row, or give the column a default in ${join(dir, 'empty.json')}: "data": { "columnConfigs": { "a": { "default": 0 } } }.`);
    // Found by the pass over the files before the first epoch.
    expect(empty.stdout).not.toContain('"epochs"');
    const typo = await run('typo.json', { path: holes, columnConfigs: { A: { default: 0 } } });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('data.columnConfigs names "A", but data.path');
    expect(typo.stderr).toContain('has no such column; did you mean "a"? Its columns are: a, b, label.');
    const notNumber = await run('nan.json', { path: holes, columnConfigs: { a: { default: 'zero' } } });
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('data.columnConfigs."a".default is "zero"; expected a finite number for the empty cells of that column.');
  });

  it('records the column defaults in a saved model, so evaluate and predict fill the same empty cells training did', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-recorded-defaults-'));
    const holes = join(dir, 'holes.csv');
    const filledIn = join(dir, 'filled-in.csv');
    await writeFile(holes, 'a,b,label\n1,2,0\n,3,1\n2,1,0\n0,4,1\n');
    await writeFile(filledIn, 'a,b,label\n1,2,0\n-1.5,3,1\n2,1,0\n0,4,1\n');
    const config = join(dir, 'config.json');
    const model = [{ type: 'dense', units: 2, activation: 'softmax', inputShape: [2] }];
    await writeFile(config, JSON.stringify({ data: { source: 'csv', path: holes, labelColumn: 'label', columnConfigs: { a: { default: -1.5 } } }, model, fit: { epochs: 1, validationSplit: 0 } }));
    const saved = join(dir, 'model');
    const trained = await kerasm('train', '--config', config, '--save', saved, '--json');
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(saved, 'model.json'), 'utf8')).userDefinedMetadata.kerasm_csv_columns).toEqual({ features: ['a', 'b'], label: 'label', defaults: { a: -1.5 } });
    for (const [command, flag] of [['predict', '--input'], ['evaluate', '--data']]) {
      const withHoles = await kerasm(command, saved, flag, holes, '--json');
      const reference = await kerasm(command, saved, flag, filledIn, '--json');
      expect(withHoles.code, withHoles.stderr).toBe(0);
      expect(JSON.parse(withHoles.stdout)).toEqual(JSON.parse(reference.stdout));
    }
  });

  it('builds any single-input km.layers factory from a config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-layers-'));
    const config = join(dir, 'layers.json');
    await writeFile(config, JSON.stringify({
      data: { source: 'csv', path: join(examples, 'blobs-train.csv'), labelColumn: 'label' },
      model: [{ type: 'layerNormalization', inputShape: [4] }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'gaussianNoise', stddev: 0.1 }, { type: 'dense', units: 3, activation: 'softmax' }],
      fit: { epochs: 1 },
    }));
    const { code, stdout, stderr } = await kerasm('train', '--config', config, '--json');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).epochs).toHaveLength(1);
  });

  it('decays a schedule without decaySteps over the whole run, as --lr-schedule does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-schedule-'));
    const config = join(dir, 'cosine.json');
    await writeFile(config, JSON.stringify({
      data: { source: 'csv', path: join(examples, 'blobs-train.csv'), labelColumn: 'label' },
      model: [{ type: 'dense', units: 3, activation: 'softmax', inputShape: [4] }],
      compile: { optimizer: { type: 'adam', learningRate: 'cosineDecay:alpha=0.1' } },
      fit: { epochs: 2, batchSize: 32, validationSplit: 0.2 },
    }));
    const { code, stderr } = await kerasm('train', '--config', config, '--json', '--save', join(dir, 'model'));
    expect(code, stderr).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
    // 600 rows less the 20% held out, in batches of 32: 15 steps an epoch, 2 epochs.
    expect(saved.trainingConfig.optimizer_config.config.learningRateSchedule).toEqual({
      class_name: 'CosineDecay',
      config: expect.objectContaining({ initialLearningRate: 0.001, decaySteps: 30, alpha: 0.1 }),
    });
  });

  it('trains MNIST with --optimizer, --lr-schedule and --early-stopping', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--json', '--optimizer', 'sgd', '--learning-rate', '0.1', '--lr-schedule', 'exponentialDecay:decaySteps=500,decayRate=0.5', '--early-stopping', '1', '--units', '16');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim()).test.accuracy).toBeGreaterThan(0.85);
    const bad = await kerasm('train', '--lr-schedule', 'exponentialDecay:decayRate=0.5', '--epochs', '1', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lr-schedule: .*expected exponentialDecay with its decaySteps, e.g. exponentialDecay:decaySteps=1000,decayRate=0\.9/);
  });
});
