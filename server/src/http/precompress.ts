/**
 * Compressed copies of the console's static files: `NAME.br` and `NAME.gz` beside each script and
 * style sheet, which @fastify/static (`preCompressed`) answers to browsers that accept them: a
 * browser on a real network fetches about a quarter of the bytes. Made in the background when the server starts (brotli at its
 * best quality takes seconds, on libuv's thread pool, so requests are not held up: until a copy
 * exists the file is sent as it is) and kept until the build changes the file.
 */
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** What is worth compressing (fonts and images are compressed already; source maps are not served to people). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|ico)$/;
/** A copy is kept only when it saves at least this fraction. */
const MIN_SAVING = 0.1;

const ENCODINGS: ReadonlyArray<readonly [string, (data: Buffer) => Promise<Buffer>]> = [
  [
    '.br',
    (data) =>
      brotli(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
  ],
  ['.gz', (data) => gzipped(data, { level: 9 })],
];

export interface PrecompressResult {
  /** Copies written now. */
  readonly written: number;
  /** Copies already up to date. */
  readonly current: number;
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name))
        : Promise.resolve(entry.isFile() ? [join(dir, entry.name)] : []),
    ),
  );
  return nested.flat();
}

/**
 * Writes the missing or outdated copies under `dir`. Stops early when `stopped()` turns true (the
 * server is closing). A copy is written under a temporary name (with the process id: one run per
 * server process) and renamed, so a request never reads half of one. Throws only when `dir` cannot
 * be read; a file that cannot be written is skipped.
 */
export async function precompress(
  dir: string,
  stopped: () => boolean = () => false,
): Promise<PrecompressResult> {
  let written = 0;
  let current = 0;
  for (const file of (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f))) {
    const sourceTime = await mtimeOf(file);
    if (sourceTime === undefined) continue;
    let data: Buffer | undefined;
    for (const [suffix, compress] of ENCODINGS) {
      if (stopped()) return { written, current };
      const target = file + suffix;
      const targetTime = await mtimeOf(target);
      if (targetTime !== undefined && targetTime >= sourceTime) {
        current++;
        continue;
      }
      try {
        data ??= await readFile(file);
        const packed = await compress(data);
        if (packed.length > data.length * (1 - MIN_SAVING)) {
          if (targetTime !== undefined) await unlink(target);
          continue;
        }
        const temporary = `${target}.${process.pid}.tmp`;
        await writeFile(temporary, packed);
        await rename(temporary, target);
        written++;
      } catch {
        // A read-only build (or a file replaced meanwhile): that file is sent as it is, and an
        // outdated copy must not be sent instead of it.
        if (targetTime !== undefined) await unlink(target).catch(() => undefined);
      }
    }
  }
  return { written, current };
}
