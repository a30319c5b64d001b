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
