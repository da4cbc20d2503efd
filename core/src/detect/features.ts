// Facade (`reinhardt-web`) feature implications, 0.3.10 (reinhardt-projects.md §3). Only implications that
// matter for infrastructure are listed. `full` is deliberately not expanded: it compiles in nearly every
// backend, so it says nothing about what a deployment needs (settings decide instead).
const IMPLIES: Record<string, string[]> = {
  default: ['standard'],
  minimal: ['core', 'routing', 'di', 'server'],
  standard: ['minimal', 'viewset-routing', 'database', 'db-postgres', 'signals', 'sessions'],
  'api-only': ['minimal', 'viewset-routing'],
  'graphql-server': ['minimal', 'graphql', 'database'],
  'websocket-server': ['minimal', 'websockets', 'cache'],
  'cli-tools': ['database', 'mail', 'tasks'],
  'test-utils': ['database'],
  'db-postgres': ['database'],
  'db-mysql': ['database'],
  'db-sqlite': ['database'],
  'db-cockroachdb': ['database'],
  'db-pgvector': ['db-postgres'],
  'argon2-hasher': ['auth'],
  'bcrypt-hasher': ['auth'],
  'auth-jwt': ['auth'],
  'auth-session': ['auth', 'sessions'],
  'auth-oauth': ['auth'],
  'auth-social': ['auth-oauth'],
  'auth-token': ['auth'],
  'session-redis': ['sessions', 'middleware'],
  middleware: ['sessions'],
  'middleware-auth-jwt': ['auth-jwt'],
  'redis-backend': ['cache'],
  pages: ['client-router'],
  'pages-web-sys-full': ['pages'],
  'pages-nav-diag-dom': ['pages'],
  'client-router': ['routing'],
  admin: ['pages', 'forms'],
  msw: ['test', 'pages'],
  'viewset-routing': ['routing'],
  api: ['rest', 'viewset-routing'],
  openapi: ['rest'],
  'openapi-swagger-ui': ['openapi'],
  'openapi-router': ['openapi'],
  'compressed-parsers': ['core'],
  'websockets-pages': ['websockets'],
  'tasks-durable': ['tasks'],
  'commands-server': ['commands'],
  'commands-autoreload': ['commands'],
  'commands-contract': ['commands', 'conf', 'database', 'routing'],
  'commands-shell': ['commands', 'database', 'di'],
  'file-storage': ['database'],
  'file-storage-local': ['file-storage'],
  'file-storage-s3': ['file-storage'],
  'file-storage-gcs': ['file-storage'],
  'file-storage-azure': ['file-storage'],
  'image-fields': ['file-storage'],
  testcontainers: ['test'],
  'server-fn-test': ['test'],
};

/** Transitive closure of the declared features, sorted; exact names only (no token matching). */
export function expandFeatures(declared: readonly string[]): string[] {
  const out = new Set<string>();
  const stack = [...declared];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (out.has(f)) continue;
    out.add(f);
    for (const implied of IMPLIES[f] ?? []) stack.push(implied);
  }
  return [...out].sort();
}
