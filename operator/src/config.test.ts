import { describe, expect, it } from 'vitest';
import { loadConfig, parseAddress, parseWatchNamespaces } from './config';
import { createLogger } from './log';

describe('configuration', () => {
  it('normalizes the ingress suffix allow-list', () => {
    const config = loadConfig({ REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: ' .Apps.Example.com, ,example.org ' });
    expect(config.render.ingressHostSuffixes).toEqual(['apps.example.com', 'example.org']);
    expect(loadConfig({}).render.ingressHostSuffixes).toEqual([]);
  });

  it('reads platform, ingress class, metrics switch and log format', () => {
    const config = loadConfig({
      REINHARDT_CLOUD_PLATFORM: 'AWS',
      REINHARDT_CLOUD_INGRESS_CLASS: 'traefik',
      REINHARDT_CLOUD_INGRESS_NAMESPACE: ' traefik-system ',
      REINHARDT_CLOUD_METRICS_ENABLED: 'True',
      REINHARDT_LOG_FORMAT: ' TEXT ',
      RUST_LOG: 'reinhardt_cloud_operator=debug',
    });
    expect(config.render).toMatchObject({
      platform: 'aws',
      ingressClassName: 'traefik',
      ingressControllerNamespace: 'traefik-system',
    });
    expect(loadConfig({}).render.ingressControllerNamespace).toBe('ingress-nginx');
    expect(loadConfig({ REINHARDT_CLOUD_TENANT_QUOTA: 'pods=5' }).render.tenantQuota?.pods).toBe('5');
    expect(() => loadConfig({ REINHARDT_CLOUD_TENANT_QUOTA: 'pods=lots' })).toThrow(
      /REINHARDT_CLOUD_TENANT_QUOTA entry 1 'pods=lots'/,
    );
    expect(config.metricsEnabled).toBe(true);
    expect(config.logJson).toBe(false);
    expect(config.logLevel).toBe('debug');
    expect(
      loadConfig({ REINHARDT_CLOUD_PLATFORM: 'azure', REINHARDT_CLOUD_METRICS_ENABLED: 'yes' }),
    ).toMatchObject({
      render: { platform: 'onpremise' },
      metricsEnabled: false,
    });
  });

  it('reads the watched namespaces: comma-separated, empty means all', () => {
    expect(loadConfig({}).watchNamespaces).toEqual([]);
    expect(loadConfig({ REINHARDT_CLOUD_WATCH_NAMESPACES: '' }).watchNamespaces).toEqual([]);
    expect(loadConfig({ REINHARDT_CLOUD_WATCH_NAMESPACES: ' , ' }).watchNamespaces).toEqual([]);
    expect(
      loadConfig({ REINHARDT_CLOUD_WATCH_NAMESPACES: ' team-a,team-b,, team-a ' }).watchNamespaces,
    ).toEqual(['team-a', 'team-b']);
    expect(() => parseWatchNamespaces('team-a,Team_B')).toThrow(
      "REINHARDT_CLOUD_WATCH_NAMESPACES entry 2 'Team_B' is not a namespace name",
    );
    expect(() => parseWatchNamespaces('a b')).toThrow("entry 1 'a b'");
    expect(() => parseWatchNamespaces(`${'x'.repeat(64)}`)).toThrow('at most 63 characters');
  });

  it('refuses an unparsable metrics address instead of falling back', () => {
    const config = loadConfig({ REINHARDT_CLOUD_METRICS_ADDR: 'localhost' });
    expect(config.metricsAddress).toBeUndefined();
    expect(config.metricsAddressError).toContain("REINHARDT_CLOUD_METRICS_ADDR='localhost'");
    expect(parseAddress('127.0.0.1:9090')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(parseAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseAddress('0.0.0.0:99999')).toBeUndefined();
  });

  it('rejects non-positive numeric settings with the variable name', () => {
    expect(() => loadConfig({ REINHARDT_CLOUD_CONCURRENCY: '0' })).toThrow(
      "REINHARDT_CLOUD_CONCURRENCY='0' must be a positive number",
    );
  });
});

describe('logger', () => {
  it('writes one JSON object per line with timestamp, level, message and fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) }).child({ project: 'ns/a' });
    log.info('Reconciling Project ns/a', { error: new Error('boom') });
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record).toMatchObject({
      level: 'info',
      message: 'Reconciling Project ns/a',
      project: 'ns/a',
      error: { message: 'boom' },
    });
    expect(Date.parse(record.timestamp)).not.toBeNaN();
  });
});
