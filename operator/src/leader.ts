// Leader election on a coordination.k8s.io Lease (the client-go algorithm): acquire when the Lease is free
// or expired, renew every `retryMs`, and give up leadership (the process exits) if renewal keeps failing
// for `renewDeadlineMs`. Optimistic concurrency (resourceVersion) arbitrates between candidates.
import type { KubeObject } from '@reinhardt-cloud/core';
import { isStatus, type KubeClient, RESOURCES, resourcePath } from './kube';
import type { Logger } from './log';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryMs?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private stopped = false;
  private leading = false;
  private timer?: NodeJS.Timeout;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderOptions,
    private readonly log: Logger,
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryMs = options.retryMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** One acquire/renew attempt; true when this identity holds the Lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const path = resourcePath(RESOURCES.Lease, namespace, name);
    const now = new Date();
    const current = await this.client.get(RESOURCES.Lease, namespace, name);
    const desired = (spec: LeaseSpec): LeaseSpec => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      renewTime: microTime(now),
      ...spec,
    });
    if (!current) {
      try {
        await this.client.create(
          RESOURCES.Lease,
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name, namespace },
            spec: desired({ acquireTime: microTime(now), leaseTransitions: 0 }),
          },
          'reinhardt-cloud-operator',
        );
        return true;
      } catch (error) {
        if (isStatus(error, 409)) return false;
        throw error;
      }
    }
    const spec = (current.spec ?? {}) as LeaseSpec;
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = renewed + (spec.leaseDurationSeconds ?? 15) * 1000 < now.getTime();
    const mine = spec.holderIdentity === identity;
    if (!mine && spec.holderIdentity && !expired) return false;
    const next: LeaseSpec = mine
      ? {
          ...spec,
          ...desired({ acquireTime: spec.acquireTime, leaseTransitions: spec.leaseTransitions ?? 0 }),
        }
      : desired({ acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 });
    try {
      await this.client.request<KubeObject>('PUT', path, {
        body: { ...current, spec: next },
        kind: 'Lease',
      });
      return true;
    } catch (error) {
      if (isStatus(error, 409)) return false;
      throw error;
    }
  }

  /** Resolves once leadership is acquired; calls `onLost` if it is lost later. */
  async run(onLost: () => void): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      try {
        if (await this.tryAcquireOrRenew()) break;
      } catch (error) {
        this.log.warn('leader election attempt failed', { error });
      }
      await new Promise((r) => setTimeout(r, this.retryMs));
    }
    this.leading = true;
    this.log.info('acquired leadership', {
      lease: `${this.options.namespace}/${this.options.name}`,
      identity: this.options.identity,
    });
    let lastRenew = Date.now();
    const renew = async () => {
      if (this.stopped) return;
      try {
        if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
      } catch (error) {
        this.log.warn('lease renewal failed', { error });
      }
      if (Date.now() - lastRenew > this.renewDeadlineMs) {
        this.leading = false;
        this.log.error('lost leadership', { lease: `${this.options.namespace}/${this.options.name}` });
        onLost();
        return;
      }
      this.timer = setTimeout(renew, this.retryMs);
    };
    this.timer = setTimeout(renew, this.retryMs);
  }

  /** Stops renewing and releases the Lease so a successor does not wait for it to expire. */
  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const { namespace, name } = this.options;
      const current = await this.client.get(RESOURCES.Lease, namespace, name);
      const spec = (current?.spec ?? {}) as LeaseSpec;
      if (current && spec.holderIdentity === this.options.identity) {
        await this.client.request('PUT', resourcePath(RESOURCES.Lease, namespace, name), {
          body: { ...current, spec: { ...spec, holderIdentity: '', renewTime: microTime(new Date(0)) } },
          kind: 'Lease',
        });
      }
    } catch (error) {
      this.log.warn('could not release the lease', { error });
    }
  }
}
