/**
 * waitFor polls `check` every 100ms of real time until it returns a value, for end-to-end tests
 * that watch a process or a peer they cannot drive by a clock. After `ms` it fails with `what`
 * and whatever `context` says (a process's logs, say).
 */
export async function waitFor<T>(what: string, ms: number, check: () => T | undefined | Promise<T | undefined>, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
