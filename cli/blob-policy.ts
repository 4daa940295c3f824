/**
 * Whether a document's Content Security Policy lets it run blob: workers, read by the recorder
 * before the page loads (`portscope record --browser firefox --workers`). The in-worker bootstrap
 * builds each worker from a blob: URL, and a policy that refuses blob: workers makes the browser
 * fail such a worker after its construction (measured in Firefox ESR 153 and Chromium 156: an
 * `error` event, nothing thrown), so a runtime that cannot know the policy asks the browser with
 * a probe worker, whose answer comes after the page's first script (injected/worker-csp.ts).
 * A script cannot read a header policy; the recorder can: it fetches the page once itself and
 * reads the policies of the response (headers and `<meta http-equiv>`), per CSP Level 3.
 *
 * Only an answer that is certain says "allowed": a policy this reader does not follow (an
 * entity in a meta tag, say) counts as a refusal, and the runtime then probes as before.
 */

/** The directives that decide a worker's script, in the order CSP falls back through them. */
const WORKER_DIRECTIVES = ['worker-src', 'child-src', 'script-src', 'default-src'];

/** Whether one serialized policy (`a b; c d`) lets a blob: worker load. */
export function policyAllowsBlobWorkers(policy: string): boolean {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const tokens = part
      .trim()
      .split(/[\t\n\f\r ]+/)
      .filter(Boolean);
    if (!tokens.length) continue;
    const name = tokens[0].toLowerCase();
    // A repeated directive is ignored (CSP3 §2.2.1).
    if (!directives.has(name)) directives.set(name, tokens.slice(1));
  }
  for (const name of WORKER_DIRECTIVES) {
    const sources = directives.get(name);
    if (sources === undefined) continue;
    // `*` does not match blob: (CSP3 §6.7.2.6); only the scheme source does.
    return sources.some((s) => s.toLowerCase() === 'blob:');
  }
  return true;
}

/** Every enforced policy of a header value (policies are separated by commas). */
export function headerAllowsBlobWorkers(header: string | null): boolean {
  if (header === null) return true;
  return header.split(',').every(policyAllowsBlobWorkers);
}

/**
 * The `content` of each `<meta http-equiv="Content-Security-Policy">` in an HTML text, or
 * undefined when one is there but cannot be read with certainty.
 */
export function metaPolicies(html: string): string[] | undefined {
  const out: string[] = [];
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?\s*content-security-policy\s*["'\s/>]/i.test(tag)) continue;
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const value = content?.[1] ?? content?.[2];
    if (value === undefined || value.includes('&')) return undefined;
    out.push(value);
  }
  return out;
}

export interface PageFetch {
  /** The URL after redirects. */
  url: string;
  csp: string | null;
  /** The body when it is HTML, else ''. */
  html: string;
}

/** The URL (after redirects) whose document may run blob: workers, or undefined when not certain. */
export function blobWorkersAllowedAt(page: PageFetch): string | undefined {
  if (!headerAllowsBlobWorkers(page.csp)) return undefined;
  const metas = metaPolicies(page.html);
  if (metas === undefined || !metas.every(policyAllowsBlobWorkers)) return undefined;
  return page.url;
}

/** Fetches the page as the recorder's own request (the server sees one more GET); undefined when it fails. */
export async function fetchPage(url: string, timeoutMs: number): Promise<PageFetch | undefined> {
  try {
    const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    const isHtml = /html/i.test(res.headers.get('content-type') ?? '');
    const html = isHtml ? await res.text() : '';
    if (!isHtml) await res.body?.cancel();
    return { url: res.url || url, csp: res.headers.get('content-security-policy'), html };
  } catch {
    return undefined;
  }
}
