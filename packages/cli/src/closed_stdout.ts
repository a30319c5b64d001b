/**
 * A reader that stops early (`kerasm train --save m | head -2`) closes the pipe: that is not an
 * error. From then on `stream` drops what is written to it, so the command still finishes (and
 * saves its model) with the exit code it would have had.
 */
export function dropOutputOnceClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = ((...args: unknown[]) => {
      const done = args[args.length - 1];
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as NodeJS.WriteStream['write'];
  });
}
