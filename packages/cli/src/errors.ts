/**
 * A mistake in how kerasm was called (unknown command or flag, bad value). `main` prints it with a
 * pointer to the relevant help and exits with code 2, the usual code for command-line misuse.
 */
export class UsageError extends Error {
  /** The command that shows the help this error refers to, e.g. `kerasm train --help`. */
  readonly helpCommand: string;

  constructor(message: string, helpCommand = 'kerasm --help') {
    super(message);
    this.name = 'UsageError';
    this.helpCommand = helpCommand;
  }
}
