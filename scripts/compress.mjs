// Pre-compresses the built page: beside each file worth it, FILE.br (brotli, quality 11)
// and FILE.gz (gzip -9), which scripts/isolated_server.py (or any host that serves
// pre-compressed files) sends to browsers that accept them. Brotli at quality 11 takes
// about 10 s for a 5 MB module, so each result is kept in a cache by the file's hash, and
// a rebuild compresses only what changed.
//   node scripts/compress.mjs [DIR]   (default: Trunk's staging directory)
// GAN_CACHE_DIR: the shared cache (default ~/.cache/gan-playground).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, extname } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

// Trunk's post-build hook (Trunk.toml) gives the staging directory in the environment.
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('usage: node scripts/compress.mjs DIR'); process.exit(2); }
const cache = join(process.env.GAN_CACHE_DIR || join(homedir(), '.cache/gan-playground'), 'compressed');
mkdirSync(cache, { recursive: true });

// Text and binary formats that compress; images and fonts are compressed already.
const KINDS = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.json', '.svg', '.digits', '.safetensors', '.csv']);
// Below this, the headers cost more than compression saves.
const SMALLEST = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const encoders = {
  br: (/** @type {Buffer} */ b) => brotli(b, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
  } }),
  gz: (/** @type {Buffer} */ b) => gzip(b, { level: 9 }),
};

/** @param {string} d @returns {string[]} */
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => {
  const p = join(d, e.name);
  return e.isDirectory() ? walk(p) : [p];
});

const files = walk(dir).filter((f) => KINDS.has(extname(f)) && statSync(f).size >= SMALLEST);
let made = 0, kept = 0, before = 0, after = 0;
await Promise.all(files.flatMap((file) => {
  const bytes = readFileSync(file);
  const hash = createHash('sha256').update(bytes).digest('hex');
  before += bytes.length;
  return Object.entries(encoders).map(async ([suffix, encode]) => {
    const cached = join(cache, `${hash}.${suffix}`);
    let out;
    if (existsSync(cached)) { out = readFileSync(cached); kept++; } else {
      out = await encode(bytes);
      writeFileSync(`${cached}.tmp`, out);
      renameSync(`${cached}.tmp`, cached);
      made++;
    }
    // A compressed form no smaller than the file is left out: the server sends the file.
    if (out.length < bytes.length) writeFileSync(`${file}.${suffix}`, out);
    if (suffix === 'br') after += Math.min(out.length, bytes.length);
  });
}));
console.error(`compress: ${files.length} files, ${(before / 1e6).toFixed(2)} MB -> ${(after / 1e6).toFixed(2)} MB as brotli (${made} compressed, ${kept} from the cache)`);
