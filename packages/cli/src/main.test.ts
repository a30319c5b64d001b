import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const sdkBuilt = isResolvable('@kerasm/sdk');

function isResolvable(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function kerasm(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/main.js', ...args], { cwd: packageRoot, timeout: 110_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

// End to end through the built binary; it needs the SDK built first (`pnpm turbo run build --filter @kerasm/cli`).
describe.skipIf(!sdkBuilt)('kerasm binary', () => {
  beforeAll(async () => {
    // Build so the binary under test matches the sources.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: packageRoot });
  });

  it('trains one epoch and prints exactly one JSON line', async () => {
    const { code, stdout, stderr } = await kerasm('train', '--epochs', '1', '--json', '--seed', '1');
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(Object.keys(report)).toEqual(['epochs', 'test', 'samplesPerSecond', 'backend']);
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
    expect(stderr).toContain("Unknown command 'fit'. Available commands: train.");
    expect(stderr).toContain("Run 'kerasm --help' for usage.");
  });

  it('prints help and version', async () => {
    const help = await kerasm('train', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-relaxed-simd');
    expect(help.stdout).toContain('--experimental-wasm-relaxed-simd');
    const version = await kerasm('--version');
    expect(version.stdout).toMatch(/^kerasm \d+\.\d+\.\d+/);
  });
});
