// The informer's outer-loop decisions, without a network: backoff with full jitter, watch-timeout and
// relist jitter, stale-watch detection, and what happens after a failed attempt.
import { describe, expect, it } from 'vitest';
import {
  afterWatchFailure,
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  backoffDelayMs,
  jitteredWatchTimeoutSeconds,
  relistDelayMs,
  shouldAbortWatch,
  type WatchState,
  watchStaleness,
} from './informer';
import { ApiError } from './kube';

const LOW = () => 0;
const HIGH = () => 0.999_999;

/** A deterministic pseudo-random source (LCG) so the sampled bounds below are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('reconnect backoff', () => {
  it('doubles its ceiling from 500 ms per failure and caps at 30 s', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((n) => backoffDelayMs(n, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(backoffDelayMs(0, () => 1)).toBe(BACKOFF_BASE_MS);
  });

  it('is full jitter: anywhere from 0 to the ceiling, and spread over that range', () => {
    for (const failures of [1, 3, 6, 12]) {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
      expect(backoffDelayMs(failures, LOW)).toBe(0);
      expect(backoffDelayMs(failures, HIGH)).toBe(ceiling);
      const random = seeded(failures);
      const samples = Array.from({ length: 2000 }, () => backoffDelayMs(failures, random));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThanOrEqual(ceiling);
      // Not clustered at one end: both the lowest and the highest tenth of the range are hit.
      expect(samples.some((d) => d < ceiling * 0.1)).toBe(true);
      expect(samples.some((d) => d > ceiling * 0.9)).toBe(true);
    }
  });
});

describe('jittered timeouts', () => {
  it('asks the server for the watch timeout plus 0–20 %', () => {
    expect(jitteredWatchTimeoutSeconds(300, LOW)).toBe(300);
    expect(jitteredWatchTimeoutSeconds(300, HIGH)).toBe(360);
    const random = seeded(7);
    for (let i = 0; i < 500; i++) {
      const t = jitteredWatchTimeoutSeconds(300, random);
      expect(t).toBeGreaterThanOrEqual(300);
      expect(t).toBeLessThanOrEqual(360);
      expect(Number.isInteger(t)).toBe(true);
    }
  });

  it('relists after the resync period plus 0–10 %', () => {
    expect(relistDelayMs(600_000, LOW)).toBe(600_000);
    expect(relistDelayMs(600_000, HIGH)).toBeCloseTo(660_000, -1);
    expect(relistDelayMs(600_000, () => 0.5)).toBe(630_000);
  });
});

describe('stale-watch detection', () => {
  const T0 = 1_000_000;
  const open: WatchState = {
    now: T0,
    stopped: false,
    watching: true,
    lastActivity: T0,
    connectedAt: T0,
    timeoutSeconds: 300,
    attemptStarted: 0,
    staleMs: 90_000,
  };

  it('a stream delivering events or bookmarks is healthy until it falls silent for longer than staleMs', () => {
    expect(watchStaleness({ ...open, now: T0 + 90_000 })).toBeUndefined();
    expect(shouldAbortWatch({ ...open, now: T0 + 90_000 })).toBe(false);
    expect(watchStaleness({ ...open, now: T0 + 90_001 })).toBe('silent');
    expect(shouldAbortWatch({ ...open, now: T0 + 90_001 })).toBe(true);
    // A bookmark a minute in resets the silence clock.
    expect(watchStaleness({ ...open, lastActivity: T0 + 60_000, now: T0 + 120_000 })).toBeUndefined();
  });

  it('a stream open past the server timeout plus 5 s grace is overdue even with recent activity', () => {
    const busy = { ...open, lastActivity: T0 + 300_000 };
    expect(watchStaleness({ ...busy, now: T0 + 305_000 })).toBeUndefined();
    expect(watchStaleness({ ...busy, now: T0 + 305_001 })).toBe('overdue');
    expect(shouldAbortWatch({ ...busy, now: T0 + 305_001 })).toBe(true);
  });

  it('a list or connect hanging past staleMs is aborted; one in progress for less is not', () => {
    const connecting = { ...open, watching: false, attemptStarted: T0, lastActivity: T0 };
    expect(shouldAbortWatch({ ...connecting, now: T0 + 89_000 })).toBe(false);
    expect(shouldAbortWatch({ ...connecting, now: T0 + 90_001 })).toBe(true);
    // Waiting in backoff (no attempt in progress): nothing to abort, but readiness reports the silence.
    const backingOff = { ...connecting, attemptStarted: 0, now: T0 + 95_000 };
    expect(shouldAbortWatch(backingOff)).toBe(false);
    expect(watchStaleness(backingOff)).toBe('silent');
  });

  it('a stopped informer is never stale', () => {
    expect(watchStaleness({ ...open, stopped: true, now: T0 + 10_000_000 })).toBeUndefined();
  });
});

describe('after a failed watch attempt', () => {
  it('relists at once on 410 Gone, reconnects at once after its own abort, backs off otherwise', () => {
    const gone = new ApiError(410, 'Expired', 'too old resource version');
    expect(afterWatchFailure(gone, undefined)).toEqual({ reason: 'expired', next: 'relist' });
    expect(afterWatchFailure(new Error('watch aborted (stale)'), 'stale')).toEqual({
      reason: 'stale',
      next: 'reconnect',
    });
    // A periodic relist abort: the resourceVersion is already cleared, so reconnecting lists first.
    expect(afterWatchFailure(gone, 'relist')).toEqual({ reason: 'relist', next: 'reconnect' });
    expect(afterWatchFailure(new Error('ECONNRESET'), undefined)).toEqual({
      reason: 'error',
      next: 'backoff',
    });
    expect(afterWatchFailure(new ApiError(500, 'InternalError', 'etcd'), undefined)).toEqual({
      reason: 'error',
      next: 'backoff',
    });
    expect(afterWatchFailure(new ApiError(403, 'Forbidden', 'no'), undefined).next).toBe('backoff');
  });
});
