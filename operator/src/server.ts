// /healthz, /readyz and /metrics on node:http with the hardening of operator.md §1.4: at most 32
// connections, 5 s to read the request and write the answer, `Connection: close`.
import http from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthSources {
  /** Reasons the operator is not ready (empty ⇒ ready). */
  notReadyReasons(): string[];
  metrics?: Registry;
}

export function startHealthServer(host: string, port: number, sources: HealthSources): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    res.setHeader('Connection', 'close');
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (req.method !== 'GET') return send(404, 'not found');
    if (path === '/healthz') return send(200, 'ok');
    if (path === '/readyz') {
      const reasons = sources.notReadyReasons();
      return reasons.length === 0 ? send(200, 'ok') : send(503, `not ready: ${reasons.join('; ')}`);
    }
    if (path === '/metrics' && sources.metrics) {
      return send(200, await sources.metrics.metrics(), sources.metrics.contentType);
    }
    return send(404, 'not found');
  });
  server.maxConnections = 32;
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  server.keepAliveTimeout = 0;
  server.setTimeout(5000, (socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
