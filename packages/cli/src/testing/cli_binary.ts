import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What one run of the binary printed, and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Whether the SDK's dist is built, which the binary needs: suites that run it skip without it. */
export const sdkBuilt = (() => {
  try {
    createRequire(import.meta.url).resolve('@kerasm/sdk');
    return true;
  } catch {
    return false;
  }
})();

/** Compiles the CLI, so that the binary under test matches the sources. */
export async function buildCli(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: packageRoot });
}

/** Runs the built `kerasm` binary with `args`; a failing exit code is returned, not thrown. */
export async function kerasm(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/main.js', ...args], { cwd: packageRoot, timeout: 110_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as CliResult;
    return { code, stdout, stderr };
  }
}

/** Starts the built `kerasm` binary without waiting for it, for tests that interrupt a run. */
export function startKerasm(...args: string[]): ChildProcess {
  return spawn(process.execPath, ['dist/main.js', ...args], { cwd: packageRoot, stdio: 'ignore' });
}

/**
 * Runs the built `kerasm` binary with its stdout read by someone who closes the pipe after the
 * first output, as `kerasm ... | head -1` does; resolves to its exit code.
 */
export function kerasmClosingStdout(...args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['dist/main.js', ...args], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.once('data', () => child.stdout.destroy());
  return new Promise((resolve) => child.on('close', resolve));
}
