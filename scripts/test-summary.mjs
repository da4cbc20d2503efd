// Adds up vitest's JSON report and node --test's spec output into one closing line,
// "tests: N passed, N failed", the plain form every CI reader understands.
import { existsSync, readFileSync } from 'node:fs';

const [vitestJson, e2eLog] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (vitestJson && existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (!report.success && (report.numFailedTests ?? 0) === 0) failed += report.numFailedTestSuites || 1;
  console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
} else {
  console.log('vitest: no report (the run did not finish)');
  failed += 1;
}

if (e2eLog && existsSync(e2eLog)) {
  const log = readFileSync(e2eLog, 'utf8');
  const pass = Number(/^ℹ pass (\d+)/m.exec(log)?.[1] ?? Number.NaN);
  const fail = Number(/^ℹ fail (\d+)/m.exec(log)?.[1] ?? Number.NaN);
  if (Number.isNaN(pass) || Number.isNaN(fail)) {
    console.log('e2e: no summary (the run did not finish)');
    failed += 1;
  } else {
    passed += pass;
    failed += fail;
    console.log(`e2e: ${pass} passed, ${fail} failed`);
  }
}

console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
