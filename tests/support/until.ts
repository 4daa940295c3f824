/** Polls `read` until `ok` holds; a timeout names what was awaited and the last value seen. */
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeout = 20_000,
): Promise<T> {
  const end = Date.now() + timeout;
  let v = await read();
  while (!ok(v)) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}: last value ${JSON.stringify(v)?.slice(0, 600)}`);
    await sleep(100);
    v = await read();
  }
  return v;
}
