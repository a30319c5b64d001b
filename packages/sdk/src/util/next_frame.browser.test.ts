// km.nextFrame in a browser page: it resolves on an animation frame, as tf.nextFrame does there.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('km.nextFrame in a browser page', () => {
  it('resolves in the next requestAnimationFrame turn, after callbacks queued before it', async () => {
    const order: string[] = [];
    requestAnimationFrame(() => order.push('frame callback queued first'));
    await km.nextFrame();
    order.push('nextFrame resolved');
    expect(order).toEqual(['frame callback queued first', 'nextFrame resolved']);
  });

  it('lets a page task queued before it run (the page stays responsive in a loop)', async () => {
    let ran = false;
    setTimeout(() => (ran = true), 0);
    for (let i = 0; i < 3; i++) await km.nextFrame();
    expect(ran).toBe(true);
  });
});
