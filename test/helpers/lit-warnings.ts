/**
 * Fails the test during which lit's development build warned (it runs in Chromium's pages:
 * test/harness/lit-dev-plugin.ts). lit warns once per kind and page, through console.warn and the
 * shared `litIssuedWarnings` set; we note each one added there. A root hook: mocha then reports
 * `"after each" hook for "<test>"` with the warnings, and skips the file's remaining tests, so a
 * warning is never lost in a passing run. "Lit is in dev mode" itself is not a problem.
 */
const g = globalThis as { litIssuedWarnings?: Set<string> };
const issued = (g.litIssuedWarnings ??= new Set<string>());
const noted: string[] = [];
const add = issued.add.bind(issued);
issued.add = (warning: string) => {
  if (!issued.has(warning) && !warning.startsWith('Lit is in dev mode')) noted.push(warning);
  return add(warning);
};

/** Take the warnings noted since the last test (a test of this very mechanism expects one). */
export function takeLitWarnings(): string[] {
  return noted.splice(0);
}

afterEach(function () {
  if (!noted.length) return;
  const warnings = noted.splice(0);
  throw new Error(`lit warned during "${this.currentTest?.fullTitle() ?? 'a test'}":\n${warnings.map((w) => `  - ${w}`).join('\n')}`);
});
