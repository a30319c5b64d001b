#!/usr/bin/env node
import { parseCommandLine, type Command } from './args.js';
import { dropOutputOnceClosed } from './closed_stdout.js';
import { UsageError } from './errors.js';
import { helpFor } from './help.js';
import { asksForJson, withJsonStdout } from './json_stdout.js';
import { cliVersion, sdkVersion } from './version.js';
import { printWarnings } from './warnings.js';
import { enableRelaxedSimd } from './wasm_flags.js';

/**
 * Runs one kerasm invocation and returns its exit code: 0 success, 1 runtime error, 2 usage error.
 * With --json an error is also one JSON line on stdout, so a script reading stdout sees it.
 */
async function main(argv: readonly string[]): Promise<number> {
  try {
    await run(parseCommandLine(argv));
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (asksForJson(argv)) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    if (err instanceof UsageError) {
      process.stderr.write(`kerasm: ${message}\nRun '${err.helpCommand}' for usage.\n`);
      return 2;
    }
    process.stderr.write(`kerasm: ${message}\n`);
    if (process.env.KERASM_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

async function run(command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpFor(command.topic));
      return;
    case 'version':
      process.stdout.write(command.json ? `${JSON.stringify({ kerasm: cliVersion(), sdk: sdkVersion() })}\n` : `kerasm ${cliVersion()}\n`);
      return;
    case 'train': {
      printWarnings(command.warnings);
      // The flag must be set before the SDK compiles its kernels, so the SDK is imported only afterwards.
      if (command.options.relaxedSimd) enableRelaxedSimd();
      const { runTrain } = await import('./commands/train.js');
      await runTrain(command.options);
      return;
    }
    case 'evaluate':
    case 'predict':
    case 'summary': {
      if (command.kind !== 'summary') printWarnings(command.warnings);
      if (command.options.relaxedSimd) enableRelaxedSimd();
      await withJsonStdout(command.options.json, async () => {
        if (command.kind === 'evaluate') await (await import('./commands/evaluate.js')).runEvaluate(command.options);
        else if (command.kind === 'predict') await (await import('./commands/predict.js')).runPredict(command.options);
        else await (await import('./commands/summary.js')).runSummary(command.options);
      });
      return;
    }
  }
}

dropOutputOnceClosed(process.stdout);

process.exitCode = await main(process.argv.slice(2));
