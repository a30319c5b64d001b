import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Value parsers by long option name; each throws a {@link UsageError} for a value it rejects. */
export type ValueParsers = Record<string, (raw: string) => unknown>;

/** How parse errors refer to the command being parsed. */
export interface ParseContext {
  /** The command as typed, e.g. `kerasm train`. */
  command: string;
  /** The command that shows the relevant help, e.g. `kerasm train --help`. */
  helpCommand: string;
  valueParsers: ValueParsers;
  /** Whether the command takes positional arguments (a model folder). */
  positionals?: boolean;
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `parseArgs` in strict mode, with its errors rewritten into {@link UsageError}s that name the flag,
 * what was received and what is accepted. An option given twice with different values is one too,
 * unless it is `multiple` (repeatable): parseArgs would keep the last silently.
 */
export function parseStrict<O extends OptionSpecs>(
  args: readonly string[],
  options: O,
  context: ParseContext,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean; tokens: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: context.positionals ?? false, tokens: true });
  } catch (err) {
    throw explainParseError(err, args, options, context);
  }
  checkGivenOnce(parsed.tokens, options, context);
  return { values: parsed.values, positionals: parsed.positionals };
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Throws when a string option is given twice with different values (`--epochs 3 --epochs 5`); a repeat of the same value changes nothing. */
function checkGivenOnce(tokens: readonly Token[], options: OptionSpecs, { command, helpCommand }: ParseContext): void {
  const firstValues = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || options[token.name]?.multiple) continue;
    const earlier = firstValues.get(token.name);
    if (earlier === undefined) firstValues.set(token.name, token.value);
    else if (earlier !== token.value) {
      const flag = `--${token.name}`;
      const example = token.value.startsWith('-') ? `${flag}=${token.value}` : `${flag} ${token.value}`;
      throw new UsageError(
        `Option '${flag}' was given twice, as '${earlier}' and then '${token.value}'; '${command}' takes each option once. Keep the one you mean, e.g. '${example}'.`,
        helpCommand,
      );
    }
  }
}

function explainParseError(
  err: unknown,
  args: readonly string[],
  options: OptionSpecs,
  { command, helpCommand, valueParsers, positionals }: ParseContext,
): UsageError {
  const valid = Object.entries(options)
    .map(([name, spec]) => (spec.type === 'string' ? `--${name} <value>` : `--${name}`))
    .join(', ');
  // Re-read leniently to find the offending token; parseArgs' own messages do not list what is valid.
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !positionals) {
      return new UsageError(`Unexpected argument '${token.value}': '${command}' takes only options. Valid options: ${valid}.`, helpCommand);
    }
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) {
      const guess = didYouMean(token.name, Object.keys(options), (name) => `'--${name}'`);
      return new UsageError(`Unknown option '${token.rawName}' for '${command}'${guess} Valid options: ${valid}.`, helpCommand);
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      return new UsageError(`Option '${token.rawName}' takes no value, but received '${token.value}'. Pass it alone, e.g. '${command} ${token.rawName}'.`, helpCommand);
    }
    if (spec.type === 'string' && token.value === undefined) {
      return new UsageError(`Option '${token.rawName}' needs a value, but received none. Pass it as '${token.rawName} <value>'.`, helpCommand);
    }
    if (spec.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      // A negative number (`--seed -1`) was meant as the value: check it, so the message says what is valid.
      if (NEGATIVE_NUMBER.test(token.value)) valueParsers[token.name]?.(token.value);
      return new UsageError(
        `Option '${token.rawName}' needs a value, but received the flag-like '${token.value}'. Pass a value as '${token.rawName} <value>', or '${token.rawName}=${token.value}' if it really starts with '-'.`,
        helpCommand,
      );
    }
  }
  return new UsageError(err instanceof Error ? err.message : String(err), helpCommand);
}
