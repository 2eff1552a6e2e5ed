// A minimal test runner for code that runs INSIDE the extension host (an extensionTestsPath
// module's run()). node:test is not used there: the host is VS Code's process, not a test process.
// Results go to the console, which the workbench forwards to the browser console.

export type HostTest = readonly [name: string, body: () => unknown];

/** Runs the tests in order; logs ✔/✖ per test and throws if any failed (exit code 1). */
export async function runHostTests(suite: string, tests: readonly HostTest[]): Promise<void> {
  const failed: string[] = [];
  for (const [name, body] of tests) {
    try {
      await body();
      console.log(`[host-test] ✔ ${suite} › ${name}`);
    } catch (err) {
      failed.push(name);
      console.error(`[host-test] ✖ ${suite} › ${name}\n${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  console.log(`[host-test] ${suite}: ${tests.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) throw new Error(`${suite}: ${failed.length} in-host test(s) failed: ${failed.join('; ')}`);
}
