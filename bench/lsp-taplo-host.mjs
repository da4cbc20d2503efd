#!/usr/bin/env node
// Runs Taplo's language server (`@taplo/lsp`, the WebAssembly build that the Even Better TOML VS Code
// extension runs) over stdio, for bench/lsp-latency.mjs. The `taplo` binary from `@taplo/cli` is built
// without its LSP ("the LSP is not part of this build"), so this host is how the bench reaches Taplo's
// server from npm. The host only frames JSON-RPC (Content-Length) between stdio and Taplo.
import { accessSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import taploLsp from '@taplo/lsp';

const { TaploLsp } = taploLsp;

const write = (message) => {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
};

const taplo = await TaploLsp.initialize(
  {
    cwd: () => process.cwd(),
    envVar: (name) => process.env[name],
    envVars: () => Object.entries(process.env),
    findConfigFile: (from) => {
      for (const name of ['.taplo.toml', 'taplo.toml']) {
        try {
          accessSync(join(from, name));
          return join(from, name);
        } catch {
          // not here
        }
      }
      return undefined;
    },
    glob: () => [],
    isAbsolute: (p) => isAbsolute(p),
    now: () => new Date(),
    readFile: (path) => readFile(path),
    writeFile: (path, bytes) => writeFile(path, bytes),
    stderr: process.stderr,
    stdErrAtty: () => process.stderr.isTTY === true,
    stdin: process.stdin,
    stdout: process.stdout,
    urlToFilePath: (url) => fileURLToPath(url),
    fetch: { fetch, Headers, Request, Response },
  },
  { onMessage: write },
);

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + length);
    if (message.method === 'exit') process.exit(0);
    taplo.send(message);
  }
});
process.stdin.on('end', () => process.exit(0));
