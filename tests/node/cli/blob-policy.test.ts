import { describe, expect, it } from 'vitest';
import {
  blobWorkersAllowedAt,
  headerAllowsBlobWorkers,
  metaPolicies,
  policyAllowsBlobWorkers,
} from '../../../cli/blob-policy.ts';

describe('whether a page policy lets blob: workers load (CSP3 fallback: worker-src, child-src, script-src, default-src)', () => {
  it('no policy, or no directive that governs workers: allowed', () => {
    expect(headerAllowsBlobWorkers(null)).toBe(true);
    expect(policyAllowsBlobWorkers("img-src 'self'; frame-ancestors 'none'")).toBe(true);
  });

  it('the first governing directive decides; only the blob: scheme source allows (not *)', () => {
    expect(policyAllowsBlobWorkers("worker-src 'self'")).toBe(false);
    expect(policyAllowsBlobWorkers("worker-src 'self' BLOB:; default-src 'none'")).toBe(true);
    expect(policyAllowsBlobWorkers("default-src 'self' blob:; worker-src 'self'")).toBe(false);
    expect(policyAllowsBlobWorkers("child-src blob:; script-src 'self'")).toBe(true);
    expect(policyAllowsBlobWorkers("script-src 'self' 'unsafe-inline'")).toBe(false);
    expect(policyAllowsBlobWorkers("default-src 'self'")).toBe(false);
    expect(policyAllowsBlobWorkers('worker-src *')).toBe(false);
    expect(policyAllowsBlobWorkers("worker-src 'none'")).toBe(false);
  });

  it('a repeated directive is ignored; every policy of a header must allow', () => {
    expect(policyAllowsBlobWorkers("worker-src blob:; worker-src 'self'")).toBe(true);
    expect(headerAllowsBlobWorkers("worker-src blob:, default-src 'self'")).toBe(false);
    expect(headerAllowsBlobWorkers('worker-src blob:, img-src *')).toBe(true);
  });

  it('meta policies are read, and one that cannot be read with certainty counts as a refusal', () => {
    expect(metaPolicies('<meta charset="utf-8"><title>x</title>')).toEqual([]);
    expect(metaPolicies(`<META HTTP-EQUIV="Content-Security-Policy" content="worker-src 'self'">`)).toEqual([
      "worker-src 'self'",
    ]);
    expect(metaPolicies(`<meta http-equiv=content-security-policy content='default-src blob:'>`)).toEqual([
      'default-src blob:',
    ]);
    expect(metaPolicies(`<meta http-equiv="content-security-policy" content="worker-src &apos;self&apos;">`)).toBe(
      undefined,
    );
    expect(metaPolicies(`<meta http-equiv="content-security-policy">`)).toBe(undefined);
  });

  it('the URL after redirects when header and meta policies allow, else undefined', () => {
    const page = { url: 'http://a.test/app/', csp: null, html: '<script>new Worker("w.js")</script>' };
    expect(blobWorkersAllowedAt(page)).toBe('http://a.test/app/');
    expect(blobWorkersAllowedAt({ ...page, csp: "worker-src 'self'" })).toBe(undefined);
    expect(
      blobWorkersAllowedAt({
        ...page,
        html: `<meta http-equiv="Content-Security-Policy" content="script-src 'self'">`,
      }),
    ).toBe(undefined);
  });
});
