import { mkdtemp, writeFile } from 'node:fs/promises';
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
    expect(report.epochs.length).toBeGreaterThanOrEqual(3);
    expect(report.epochs[0].val_loss).toEqual(expect.any(Number));
    expect(report.epochs.at(-1).loss).toBeLessThan(report.epochs[0].loss);
    // Three well-separated classes: chance is 1/3.
    expect(report.test.accuracy).toBeGreaterThan(0.9);
  });

  it('exits 2 naming the JSON path at fault, and 1 naming a bad layer argument or a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerasm-config-'));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ data: { source: 'csv', path: join(examples, 'blobs-train.csv'), labelColumn: 'label' }, model: 'mlp', fit: { batchSize: 0 } }));
    const usage = await kerasm('train', '--config', bad);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('bad.json: fit.batchSize is 0; expected an integer from 1 to 60000.');
    const layer = join(dir, 'layer.json');
    await writeFile(layer, JSON.stringify({ data: { source: 'csv', path: join(examples, 'blobs-train.csv'), labelColumn: 'label' }, model: [{ type: 'dense', units: -3, inputShape: [4] }] }));
    const runtime = await kerasm('train', '--config', layer);
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toMatch(/model\[0\]: .*units=-3/);
    const missing = await kerasm('train', '--config', join(dir, 'none.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Could not read the config file .*none\.json/);
  });

  it('trains MNIST with --optimizer, --lr-schedule and --early-stopping', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--json', '--optimizer', 'sgd', '--learning-rate', '0.1', '--lr-schedule', 'exponentialDecay:decaySteps=500,decayRate=0.5', '--early-stopping', '1', '--units', '16');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim()).test.accuracy).toBeGreaterThan(0.85);
    const bad = await kerasm('train', '--lr-schedule', 'cosineDecay:alpha=0.1', '--epochs', '1', '--json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--lr-schedule: .*decaySteps/);
  });
});
