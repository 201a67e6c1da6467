// Precompressed siblings for the built SPA, as nginx's gzip_static/brotli_static expect:
// dist/**/name.{js,css,svg,html,json,…} → name.br (brotli, quality 11) and name.gz
// (gzip -9), each kept only when smaller than the file. `regsafe serve` picks one by the
// request's Accept-Encoding (backend/regsafe/web/spa.py). Run after `vite build`
// (`npm run build`); node's built-in zlib only.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const COMPRESSIBLE = /\.(?:js|mjs|css|svg|html|json|webmanifest|txt|xml)$/i;
// `node scripts/compress.mjs [DIR] [--quiet]`; DIR defaults to dist/.
const dirArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
const dist = dirArg ? resolve(dirArg) + '/' : fileURLToPath(new URL('../dist/', import.meta.url));

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // .vite/manifest.json is not served
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

async function compress(path) {
  const data = await readFile(path);
  const [br, gzipped] = await Promise.all([
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gz(data, { level: 9 }),
  ]);
  const sizes = { path, raw: data.length };
  for (const [suffix, bytes] of [['.br', br], ['.gz', gzipped]]) {
    if (bytes.length < data.length) {
      await writeFile(path + suffix, bytes);
      sizes[suffix] = bytes.length;
    } else {
      await rm(path + suffix, { force: true });
    }
  }
  return sizes;
}

try {
  await stat(join(dist, 'index.html'));
} catch {
  console.error(`compress: ${dist}index.html is missing; run vite build first`);
  process.exit(1);
}
const todo = [];
for await (const path of files(dist)) {
  if (path.endsWith('.map')) {
    // Never deployed (vite.config.ts: sourcemap false); a stray one is removed.
    await rm(path);
  } else if (COMPRESSIBLE.test(path)) {
    todo.push(path);
  }
}
const results = await Promise.all(todo.map(compress));
const kb = (n) => (n === undefined ? '-' : `${(n / 1024).toFixed(1)} kB`);
let raw = 0;
let br = 0;
let gzTotal = 0;
for (const r of results) {
  raw += r.raw;
  br += r['.br'] ?? r.raw;
  gzTotal += r['.gz'] ?? r.raw;
}
if (!process.argv.includes('--quiet')) {
  console.log(
    `compress: ${results.length} files in ${relative(process.cwd(), dist) || '.'}: ` +
      `${kb(raw)} raw, ${kb(br)} brotli, ${kb(gzTotal)} gzip`,
  );
}
