// The environment every application container reads (web, worker, migration Job).
import { redisEnv } from './cache';
import type { RenderContext } from './context';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}

const SECRET_REF = /^secretRef:([^/]+)\/(.+)$/;

/** Parses `secretRef:<secret>/<key>`; `undefined` for plain values. */
export function parseSecretRef(value: string): { secret: string; key: string } | undefined {
  const match = SECRET_REF.exec(value);
  if (!match?.[1] || !match[2]) return undefined;
  return { secret: match[1], key: match[2] };
}

function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

export function appEnv(ctx: RenderContext, extra: EnvVar[] = []): EnvVar[] {
  const { name } = ctx;
  const userEnv = ctx.spec.env ?? {};
  const env: EnvVar[] = [];
  for (const key of Object.keys(userEnv).sort()) {
    const value = userEnv[key] ?? '';
    // Unauthorized references never get here: render refuses the spec (see checks.ts).
    const ref = value.startsWith('secretRef:') ? parseSecretRef(value) : undefined;
    env.push(ref ? secretEnv(key, ref.secret, ref.key) : { name: key, value });
  }
  const has = (key: string) => env.some((e) => e.name === key);
  const add = (entry: EnvVar) => {
    if (!has(entry.name)) env.push(entry);
  };
  const userLiteral = (key: string): string | undefined => {
    const value = userEnv[key]?.trim();
    return value && !value.startsWith('secretRef:') ? value : undefined;
  };

  add({ name: 'REINHARDT_ENV', value: 'production' });
  add(secretEnv('REINHARDT_CORE__SECRET_KEY', `${name}-core-secret-key`, 'secret-key'));
  add(secretEnv('REINHARDT_CLOUD_SECRET_KEY', `${name}-core-secret-key`, 'secret-key'));
  if (ctx.spec.auth?.jwt) add(secretEnv('REINHARDT_CLOUD_JWT_SECRET', `${name}-jwt-secret`, 'jwt-secret'));

  // Same names on every platform; the URL follows where the Redis runs (D9, cache.ts).
  for (const entry of redisEnv(ctx)) add(entry);

  const db = ctx.database;
  if (db && db.engine !== 'sqlite') {
    const host = userLiteral('REINHARDT_DATABASE_HOST') ?? db.host;
    const portText = userLiteral('REINHARDT_DATABASE_PORT');
    const parsedPort = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    const port = parsedPort >= 1 && parsedPort <= 65535 ? parsedPort : db.port;
    // D3: the name the app reads is the database the server creates (both come from db.database).
    const database = userLiteral('REINHARDT_DATABASE_NAME') ?? db.database;
    const user = userLiteral('REINHARDT_DATABASE_USER') ?? db.user;
    add({ name: 'REINHARDT_DATABASE_ENGINE', value: db.engine });
    add({ name: 'REINHARDT_DATABASE_HOST', value: host });
    add({ name: 'REINHARDT_DATABASE_PORT', value: String(port) });
    add({ name: 'REINHARDT_DATABASE_NAME', value: database });
    add({ name: 'REINHARDT_DATABASE_USER', value: user });
    add(secretEnv('REINHARDT_DATABASE_PASSWORD', db.secretName, 'password'));
    const scheme = db.engine === 'mysql' ? 'mysql' : 'postgres';
    add({
      name: 'DATABASE_URL',
      value: `${scheme}://${user}:$(REINHARDT_DATABASE_PASSWORD)@${host}:${port}/${database}`,
    });
  } else if (db) {
    add({ name: 'REINHARDT_DATABASE_ENGINE', value: 'sqlite' });
    add({ name: 'DATABASE_URL', value: 'sqlite:///var/lib/reinhardt/db.sqlite3' });
  }

  const mail = ctx.spec.mail;
  if (mail) {
    // D7: non-secret SMTP settings come from `<n>-smtp-settings` (envFrom); credentials from the app's own Secret.
    if (mail.credentials_secret) {
      add({
        name: 'REINHARDT_EMAIL__USERNAME',
        valueFrom: { secretKeyRef: { name: mail.credentials_secret, key: 'username' } },
      });
      add({
        name: 'REINHARDT_EMAIL__PASSWORD',
        valueFrom: { secretKeyRef: { name: mail.credentials_secret, key: 'password' } },
      });
    }
  }

  for (const entry of extra) add(entry);
  add({ name: 'OTEL_PROPAGATORS', value: 'tracecontext' });
  add({ name: 'OTEL_SERVICE_NAME', value: name });
  return env;
}
