// `npm run package`: builds once (one handshake nonce for both browsers), then writes the store
// uploads into <dist>/packages/:
//   portscope-chrome-<version>.zip    Chrome Web Store (manifest.json at the root)
//   portscope-firefox-<version>.xpi   addons.mozilla.org (same layout; an .xpi is a zip)
//   portscope-source-<version>.zip    the tracked sources, which AMO asks for when code is bundled
// `--no-build` packages the existing build. The archives are deterministic: sorted entries and a
// fixed timestamp, so the same build gives byte-identical packages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export class PackageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PackageError';
  }
}

// 1980-01-01 00:00:00 in MS-DOS format, the earliest a zip can say: no build clock leaks in.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

/**
 * A zip archive of `entries` ({ name, data }), deflated where that is smaller, stored otherwise.
 * Names use forward slashes; the flag says they are UTF-8. No zip64: a package over 4 GiB or
 * 65535 files is refused rather than written wrong.
 */
export function zip(entries) {
  if (entries.length > 0xffff) throw new PackageError(`too many files for a zip without zip64: ${entries.length}`);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..'))
      throw new PackageError(`bad entry name: ${JSON.stringify(name)}`);
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    const crc = crc32(data);
    if (data.length > 0xfffffffe || offset > 0xfffffffe)
      throw new PackageError(`${name}: too large for a zip without zip64`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the mode below is read
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra, comment, disk number, internal attributes: 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every file under `root`, as zip entries named relative to it, in a stable order. */
export function folderEntries(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push({ name: relative(root, path).split(sep).join('/'), data: readFileSync(path) });
    }
  };
  walk(root);
  return out;
}

function extensionEntries(folder) {
  if (!existsSync(join(folder, 'manifest.json')))
    throw new PackageError(`${folder}/manifest.json is missing: run \`npm run build\` first`);
  // Vite's own bookkeeping and source maps are not part of what the browser loads.
  return folderEntries(folder).filter((e) => !e.name.startsWith('.vite/') && !e.name.endsWith('.map'));
}

function sourceEntries(repo) {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .sort();
  return files
    .filter((f) => existsSync(join(repo, f)) && statSync(join(repo, f)).isFile())
    .map((name) => ({ name, data: readFileSync(join(repo, name)) }));
}

function main(argv) {
  const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
  const dist = resolve(repo, process.env.PORTSCOPE_DIST ?? 'dist');
  if (!argv.includes('--no-build'))
    execFileSync(process.execPath, [join(repo, 'scripts/build.mjs')], {
      stdio: 'inherit',
      cwd: repo,
      env: process.env,
    });
  const chrome = JSON.parse(readFileSync(join(dist, 'chrome/manifest.json'), 'utf8'));
  const firefox = JSON.parse(readFileSync(join(dist, 'firefox/manifest.json'), 'utf8'));
  if (chrome.version !== firefox.version)
    throw new PackageError(`the two builds disagree on the version (${chrome.version} vs ${firefox.version}): rebuild`);
  if (!firefox.browser_specific_settings?.gecko?.id)
    throw new PackageError('dist/firefox/manifest.json has no browser_specific_settings.gecko.id: AMO refuses it');
  const out = join(dist, 'packages');
  mkdirSync(out, { recursive: true });
  const written = [
    [`portscope-chrome-${chrome.version}.zip`, extensionEntries(join(dist, 'chrome'))],
    [`portscope-firefox-${firefox.version}.xpi`, extensionEntries(join(dist, 'firefox'))],
    [`portscope-source-${chrome.version}.zip`, sourceEntries(repo)],
  ].map(([name, entries]) => {
    const bytes = zip(entries);
    writeFileSync(join(out, name), bytes);
    return `${relative(repo, join(out, name))} (${entries.length} files, ${(bytes.length / 1024).toFixed(0)} KiB)`;
  });
  for (const line of written) console.log(line);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof PackageError ? `package: ${e.message}` : e);
    process.exit(1);
  }
}
