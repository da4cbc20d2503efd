// Diagnostics over a real stdio session: each broken file yields the rule code at the exact range, on
// open and after incremental changes; half-typed input never takes the server down.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf } from './lsp-client';

const VALID = `[app]
name = "shop"
image = "ghcr.io/acme/shop:1.0"

[services]
port = 80
ingress_host = "shop.example.com"
`;

let client: LspClient;
let n = 0;
const uri = () => `file:///work/project-${++n}/reinhardt-cloud.toml`;

beforeAll(async () => {
  client = new LspClient();
  await client.initialize();
});
afterAll(async () => {
  await client.shutdown();
});

/** [line, startCharacter, endCharacter] of a diagnostic on one line. */
const where = (d: {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('diagnostics', () => {
  test('a valid file has none', async () => {
    expect(await client.open(uri(), VALID)).toEqual([]);
  });

  test.each([
    {
      name: 'syntax error (unterminated string)',
      text: '[app]\nname = "shop\nimage = "x"\n',
      code: 'toml-syntax',
      severity: 1,
      // The line the string never closes on, from its start.
      at: (t: string) => positionOf(t, 'name = "shop'),
      length: 'name = "shop'.length,
    },
    {
      name: 'type error',
      text: `${VALID}[replicas]\ncount = "3"\n`,
      code: 'invalid-type',
      severity: 1,
      at: (t: string) => positionOf(t, '"3"'),
      length: 3,
    },
    {
      name: 'enum value',
      text: `${VALID}[scale]\nmetric = "cpuu"\n`,
      code: 'invalid-enum-value',
      severity: 1,
      at: (t: string) => positionOf(t, '"cpuu"'),
      length: 6,
    },
    {
      name: 'unknown key with did-you-mean (warning)',
      text: VALID.replace('port = 80', 'prot = 80'),
      code: 'unknown-key',
      severity: 2,
      at: (t: string) => positionOf(t, 'prot'),
      length: 4,
      message: /did you mean `port`/,
    },
    {
      name: 'missing required key (points at the table header)',
      text: '[app]\nname = "shop"\n',
      code: 'missing-required-key',
      severity: 1,
      at: (t: string) => positionOf(t, '[app]'),
      length: 5,
      message: /image/,
    },
    {
      name: 'cross-field rule: tls needs a secret',
      text: `${VALID}\n[services.tls]\nenabled = true\n`,
      code: 'tls-requires-secret-name',
      severity: 1,
      at: (t: string) => positionOf(t, 'true'),
      length: 4,
    },
    {
      name: 'cross-field rule: max below min',
      text: `${VALID}[scale]\nmin_replicas = 4\nmax_replicas = 2\n`,
      code: 'scale-max-below-min',
      severity: 1,
      at: (t: string) => positionOf(t, '2', 0, t.split('2').length - 2),
      length: 1,
    },
    {
      name: 'cluster_issuer is rejected',
      text: `${VALID.replace('[services]', '[services]')}\n[services.tls]\nsecret_name = "tls"\ncluster_issuer = "le"\n`,
      code: 'tls-cluster-issuer-forbidden',
      severity: 1,
      at: (t: string) => positionOf(t, '"le"'),
      length: 4,
    },
  ])('$name', async ({ text, code, severity, at, length, message }) => {
    const diagnostics = await client.open(uri(), text);
    const found = diagnostics.find((d) => d.code === code);
    expect(found, JSON.stringify(diagnostics)).toBeDefined();
    expect(found?.severity).toBe(severity);
    const start = at(text);
    expect(found?.range.start).toEqual(start);
    if (length !== undefined)
      expect(found?.range.end).toEqual({ line: start.line, character: start.character + length });
    if (message) expect(found?.message).toMatch(message);
    expect(found?.source).toBe('reinhardt-cloud');
  });

  test('incremental changes re-validate: break a value, then fix it', async () => {
    const u = uri();
    expect(await client.open(u, VALID)).toEqual([]);
    const port = positionOf(VALID, '80');
    const broken = await client.change(
      u,
      { start: port, end: { line: port.line, character: port.character + 2 } },
      '"80"',
    );
    expect(broken.map((d) => [d.code, ...where(d)])).toEqual([['invalid-type', port.line, 7, port.line, 11]]);
    const fixed = await client.change(
      u,
      { start: port, end: { line: port.line, character: port.character + 4 } },
      '8080',
    );
    expect(fixed).toEqual([]);
  });

  test('typing a whole file one character at a time never crashes the server', async () => {
    const u = uri();
    await client.open(u, '');
    const target = `${VALID}[source]\nrepository = "https://github.com/acme/shop"\n[source.webhook]\nenabled = true\nevents = ["push", "pull_request"]\n[[infrastructure.dns]]\nhost = "shop.example.com"\ntype = "CNAME"\n`;
    let line = 0;
    let character = 0;
    let last: Awaited<ReturnType<LspClient['change']>> = [];
    for (const ch of target) {
      last = await client.change(u, { start: { line, character }, end: { line, character } }, ch);
      if (ch === '\n') {
        line++;
        character = 0;
      } else character++;
    }
    expect(client.text(u)).toBe(target);
    expect(last).toEqual([]);
    expect(client.process.exitCode).toBeNull();
    expect(client.stderr.join('')).toBe('');
  });

  test('files not named reinhardt-cloud.toml are left alone', async () => {
    const other = 'file:///work/Cargo.toml';
    const published = client.nextDiagnostics(other);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: other, languageId: 'toml', version: 1, text: '[package]\nname = "x"\n' },
    });
    const timeout = new Promise((resolve) => setTimeout(() => resolve('none'), 300));
    expect(await Promise.race([published, timeout])).toBe('none');
    expect(await client.completion(other, { line: 2, character: 0 })).toEqual([]);
  });
});
