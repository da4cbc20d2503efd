import { describe, expect, it } from 'vitest';
import { WorkQueue } from './queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('de-duplicates keys waiting in the queue', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.depth).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.depth).toBe(0);
  });

  it('never hands one key to two workers; a key added while processing comes back after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    q.add('a');
    expect(q.depth).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => {
      second = k;
    });
    await sleep(20);
    expect(second).toBeUndefined();
    q.done(first ?? '');
    await sleep(0);
    expect(second).toBe('a');
  });

  it('backs off per key exponentially and forgets on success', () => {
    const q = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect([
      q.addRateLimited('a'),
      q.addRateLimited('a'),
      q.addRateLimited('a'),
      q.addRateLimited('a'),
      q.addRateLimited('a'),
    ]).toEqual([100, 200, 400, 800, 1000]);
    expect(q.addRateLimited('b')).toBe(100);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(100);
    q.shutDown();
  });

  it('delivers a delayed key after its delay, and an earlier addAfter wins', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 500);
    q.addAfter('a', 30);
    const started = Date.now();
    expect(await q.get()).toBe('a');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(400);
  });

  it('an immediate add cancels a pending delayed add', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 50);
    q.add('a');
    expect(await q.get()).toBe('a');
    q.done('a');
    await sleep(80);
    expect(q.depth).toBe(0);
  });

  it('limits the overall rate with a token bucket', async () => {
    const q = new WorkQueue({ qps: 20, burst: 1 });
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    const started = Date.now();
    for (let i = 0; i < 4; i++) q.done((await q.get()) ?? '');
    // 1 token of burst, then 3 more at 20/s ≈ 150 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(130);
  });

  it('wakes waiting workers with undefined on shutdown and ignores later adds', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('a');
    expect(q.depth).toBe(0);
  });

  it('drain waits for in-flight keys', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    setTimeout(() => q.done(key ?? ''), 50);
    expect(await q.drain(1000)).toBe(true);
    q.add('b');
    await q.get();
    expect(await q.drain(30)).toBe(false);
  });
});
