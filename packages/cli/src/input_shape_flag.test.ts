import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.js';
import { UsageError } from './errors.js';
import { evaluateHelp, predictHelp, summaryHelp } from './help.js';

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('--input-shape', () => {
  it('is repeatable, on every command that loads a saved model, named or alone', () => {
    expect(parseCommandLine(['predict', 'm', '--input-shape', 'tokens=100', '--input-shape', 'frames=20, 8'])).toMatchObject({
      options: { inputShapes: [{ name: 'tokens', dims: [100], raw: 'tokens=100' }, { name: 'frames', dims: [20, 8], raw: 'frames=20, 8' }] },
    });
    expect(parseCommandLine(['evaluate', 'm', '--input-shape=100'])).toMatchObject({ options: { inputShapes: [{ dims: [100], raw: '100' }] } });
    expect(parseCommandLine(['summary', 'm', '--input-shape', 'tokens=7,3'])).toMatchObject({ options: { inputShapes: [{ name: 'tokens', dims: [7, 3] }] } });
    // The same value twice changes nothing, as for the other options.
    expect(parseCommandLine(['predict', 'm', '--input-shape', 'tokens=5', '--input-shape', 'tokens=5'])).toMatchObject({ options: { inputShapes: [{ name: 'tokens', dims: [5] }] } });
    const without = parseCommandLine(['predict', 'm']);
    expect(without.kind === 'predict' && without.options.inputShapes).toBeUndefined();
    for (const help of [evaluateHelp(), predictHelp(), summaryHelp()]) expect(help).toMatch(/\n  --input-shape NAME=D1,D2,\.\.\.\n {26}Optional: fixes the unknown dimensions/);
  });

  it('refuses bad syntax, naming the form to use', () => {
    const form = "expected NAME=D1,D2,... (the input's name and its sample shape, without the batch axis), e.g. --input-shape tokens=100, or D1,D2,... alone for a model with one input.";
    for (const raw of ['=100', 'tokens=', 'tokens=100,', '[100]', '100x4', 'tokens']) {
      const err = usageError(['predict', 'm', '--input-shape', raw]);
      expect(err.message).toBe(`Invalid value for --input-shape: received '${raw}', ${form}`);
      expect(err.helpCommand).toBe('kerasm predict --help');
    }
  });

  it('refuses a size that is not a positive integer, showing the value with one', () => {
    expect(usageError(['evaluate', 'm', '--input-shape', 'tokens=0']).message).toBe(
      "Invalid value for --input-shape: received 'tokens=0', whose size '0' is not a positive integer. Give each dimension the size your data has (a text model's: the length its sequences are padded to), e.g. '--input-shape tokens=100'.",
    );
    expect(usageError(['predict', 'm', '--input-shape', 'frames=20,2.5']).message).toContain("received 'frames=20,2.5', whose size '2.5' is not a positive integer. Give each dimension the size your data has (a text model's: the length its sequences are padded to), e.g. '--input-shape frames=20,100'.");
    expect(usageError(['predict', 'm', '--input-shape', 'tokens=None']).message).toContain("whose size 'None' is not a positive integer.");
    expect(usageError(['predict', 'm', '--input-shape', '99999999999999999999']).message).toContain("whose size '99999999999999999999' is not a positive integer.");
    // parseArgs reads a value starting with '-' as a flag; the size is checked all the same.
    expect(usageError(['summary', 'm', '--input-shape', '-3']).message).toContain("received '-3', whose size '-3' is not a positive integer.");
  });

  it('refuses an input given two shapes, and a shape without a name beside named ones', () => {
    expect(usageError(['predict', 'm', '--input-shape', 'tokens=100', '--input-shape', 'tokens=50']).message).toBe(
      "Option '--input-shape' gives input 'tokens' twice, as 'tokens=100' and then 'tokens=50'. Keep the one you mean, e.g. '--input-shape tokens=100'.",
    );
    expect(usageError(['predict', 'm', '--input-shape', '100', '--input-shape', '50']).message).toBe(
      "Option '--input-shape' gives a shape without an input name twice, as '100' and then '50'. Keep the one you mean, e.g. '--input-shape 100'.",
    );
    expect(usageError(['evaluate', 'm', '--input-shape', 'tokens=100', '--input-shape', '20,8']).message).toBe(
      "Option '--input-shape' got '20,8' without an input name beside 'tokens=100' with one; a shape without a name is for a model with one input. Name every input, e.g. '--input-shape NAME=20,8'.",
    );
  });
});
