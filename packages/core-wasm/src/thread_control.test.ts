import { describe, expect, it } from 'vitest';
import { waitWhileEqual } from './thread_control.js';

describe('waitWhileEqual', () => {
  const word = () => new Int32Array(new SharedArrayBuffer(4));

  // Nothing ever writes the word: without the deadline these would hang until the test's timeout.
  it.each([true, false])('gives up at the deadline, returning the unchanged value (canSleep=%s)', (canSleep) => {
    expect(waitWhileEqual(word(), 0, 0, canSleep, performance.now() + 50)).toBe(0);
  });

  it('returns the new value as soon as the word differs', () => {
    const ctl = word();
    Atomics.store(ctl, 0, 7);
    expect(waitWhileEqual(ctl, 0, 0, true, Infinity)).toBe(7);
    expect(waitWhileEqual(ctl, 0, 0, false, performance.now() - 1)).toBe(7);
  });
});
