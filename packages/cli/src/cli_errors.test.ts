import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kerasm } from './testing/cli_binary.js';

// Mistakes caught before any data is loaded, through the built binary.
describe('kerasm errors (through the built binary)', () => {
  let dir: string;
  beforeAll(async () => {
    await buildCli();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-cli-errors-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('with --json, prints an error as one JSON line on stdout too, for usage and runtime errors', async () => {
    const usage = await kerasm('train', '--json', '--epoch', '3');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({ error: expect.stringMatching(/^Unknown option '--epoch' for 'kerasm train'; did you mean '--epochs'\?/) });
    expect(usage.stderr).toContain("kerasm: Unknown option '--epoch'");
    const runtime = await kerasm('evaluate', join(dir, 'nope'), '--json');
    expect(runtime.code).toBe(1);
    expect(runtime.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(runtime.stdout).error).toMatch(/^Cannot read .*nope\/model\.json \(ENOENT\)/);
    expect((await kerasm('train', '--epoch', '3')).stdout).toBe('');
  });

  it('exits 2 for a flag given twice with different values, naming both, instead of training with the last', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '3', '--epochs', '5');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "kerasm: Option '--epochs' was given twice, as '3' and then '5'; 'kerasm train' takes each option once. Keep the one you mean, e.g. '--epochs 5'.\nRun 'kerasm train --help' for usage.\n",
    );
    const json = await kerasm('predict', join(dir, 'model'), '--count', '3', '--json', '--count', '4');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: expect.stringMatching(/^Option '--count' was given twice, as '3' and then '4'/) });
  });

  it('prints the CLI and SDK versions as one JSON object with --version --json', async () => {
    const { code, stdout, stderr } = await kerasm('--version', '--json');
    expect(code, stderr).toBe(0);
    const manifest = async (path: string) => JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8')).version;
    expect(stdout).toBe(`${JSON.stringify({ kerasm: await manifest('../package.json'), sdk: await manifest('../../sdk/package.json') })}\n`);
    expect((await kerasm('--version')).stdout).toBe(`kerasm ${await manifest('../package.json')}\n`);
  });

  it.each(['--save', '--backup-dir'])('refuses %s with a file in the way before training, exiting 2', async (flag) => {
    const file = join(dir, 'in-the-way');
    await writeFile(file, 'x');
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--units', '8', flag, file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`kerasm: Cannot use ${flag} ${file}: a file is in the way: '${file}' or a folder above it is a file. Nothing was trained; choose another folder with ${flag}.`);
  });

  it('names a weights file passed where a model is expected, without echoing its bytes', async () => {
    const weights = join(dir, 'weights-0123.bin');
    await writeFile(weights, Buffer.from([0x00, 0xbf, 0x3c, 0x9a, 0x53, 0x07, 0xff, 0x10, 0x4e, 0x81]));
    const { code, stderr } = await kerasm('evaluate', weights);
    expect(code).toBe(1);
    expect(stderr).toBe(`kerasm: ${weights} holds binary data, not a model.json (is it a weights file?). Load the folder holding model.json, or the model.json file itself.\n`);
  });

  it('exits 2 for an --lr-schedule option the SDK does not know', async () => {
    const { code, stderr } = await kerasm('train', '--lr-schedule', 'cosineDecay:decaystep=10', '--epochs', '1');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kerasm: --lr-schedule: .*no option 'decaystep'; did you mean 'decaySteps'\?/);
  });
});
