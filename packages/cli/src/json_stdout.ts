/**
 * Runs `task` with console.log/info/debug sent to stderr when `json` is set, so stdout carries
 * only the one JSON line.
 */
export async function withJsonStdout(json: boolean, task: () => Promise<void>): Promise<void> {
  if (!json) return task();
  const { log, info, debug } = console;
  console.log = console.info = console.debug = console.error;
  try {
    await task();
  } finally {
    Object.assign(console, { log, info, debug });
  }
}

/**
 * Whether the command line passes `--json`, read from the raw arguments (before `--`), so that an
 * error in parsing the rest still reaches stdout as `{"error": ...}`.
 */
export function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Prints a note on stderr, `kerasm: note: ...`; with --json nothing, so a script sees only the result. */
export function noteFor(json: boolean): (line: string) => void {
  return json ? () => {} : (line) => process.stderr.write(`kerasm: note: ${line}\n`);
}
