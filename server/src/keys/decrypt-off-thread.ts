/**
 * Decryption of uploaded files off the event loop. Opening an encrypted key or PKCS#12 file
 * derives keys for as long as the file asks (the PKI core caps the iteration counts, but a file at
 * the cap still costs seconds of hashing): on the main thread that would hold every other request
 * as long. So whatever is read with a password, and any file larger than
 * {@link MAX_MAIN_THREAD_BYTES}, runs in a worker thread, at most
 * {@link MAX_DECRYPT_WORKERS} at a time (more wait their turn, so uploads cannot take every
 * core), and a file is stopped after {@link DECRYPT_TIME_LIMIT_MS}. At most
 * {@link MAX_WAITING_DECRYPTS} wait: one account sending many files near the cap would otherwise
 * make everyone else's encrypted imports wait minutes. A request whose client has gone leaves the
 * queue, or stops its worker.
 *
 * Workers are kept for {@link IDLE_WORKER_MS} after a file: starting one and loading the PKI core
 * into it costs about 0.5 s compiled (1.5 s under tsx), more than most files take.
 */
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readKeyMaterial, type KeyMaterial, type Result } from '../../../src/pki';
import { fail } from '../../../src/pki/result';
import { Turns } from './turns';

/** One file for the worker to read (decrypt-worker.ts). */
export interface DecryptJob {
  readonly bytes: Uint8Array;
  readonly password: string | undefined;
  readonly name: string | undefined;
}

/**
 * How long one file may take. The caps bound the work to five derivations of 1,000,000
 * iterations; the slowest real layout at the cap (a legacy 3DES PKCS#12: five runs of forge's
 * JavaScript PKCS#12 KDF) took 13-15 s on a 2-core machine, 32 s under a load of 10. The limit
 * is the backstop for what the caps do not foresee, not the usual refusal.
 */
export const DECRYPT_TIME_LIMIT_MS = 60_000;
/** Decryptions at a time. */
export const MAX_DECRYPT_WORKERS = 2;
/** Decryptions waiting for a worker; more are refused at once ("try again in a minute"). */
export const MAX_WAITING_DECRYPTS = 4;
/**
 * Files without a password up to this size are read here; larger ones in a worker like encrypted
 * ones. A key with its certificate and chain is a few kilobytes; a megabyte of certificates (a
 * few with thousands of alternative names) takes about a second of CPU to parse, which on the
 * event loop would hold every other request as long.
 */
export const MAX_MAIN_THREAD_BYTES = 128 * 1024;
/** How long an idle worker is kept for the next file. */
const IDLE_WORKER_MS = 60_000;

const WORKER_FILE = join(__dirname, `decrypt-worker${extname(__filename)}`);
/**
 * The worker's first lines. Compiled, it requires decrypt-worker.js. Under tsx (tests, `npm run
 * dev:server`) the entry is .ts: Node 20 does not apply the inherited `--import tsx` to a worker's
 * entry file, so the worker registers tsx's hooks itself: CommonJS for the modules, ESM for the
 * PKI core's `import()` of its decryption code (registered through tsx's ESM build: its CommonJS
 * build does not find its loader from a worker).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx) {
  require(workerData.tsx.cjs);
  import(workerData.tsx.esm).then((api) => {
    api.register();
    require(workerData.file);
  });
} else require(workerData.file);
`;
const TSX = WORKER_FILE.endsWith('.ts')
  ? {
      cjs: require.resolve('tsx/cjs'),
      esm: pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
    }
  : undefined;

const turns = new Turns(MAX_DECRYPT_WORKERS, MAX_WAITING_DECRYPTS);
const idle: Array<{ worker: Worker; timer: NodeJS.Timeout; gone: () => void }> = [];

const BUSY = fail(
  'too-costly',
  'fileServerBusy',
  'The server is opening other uploaded files right now: try again in a minute.',
);
const ABANDONED = fail(
  'corrupted',
  'fileAbandoned',
  'The request ended before its file was opened: nothing was stored.',
);

function takeWorker(): Worker {
  const kept = idle.pop();
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.off('exit', kept.gone);
    kept.worker.ref();
    return kept.worker;
  }
  return new Worker(BOOTSTRAP, {
    eval: true,
    execArgv: [],
    workerData: { file: WORKER_FILE, tsx: TSX },
  });
}

/** An idle worker neither keeps the process alive nor stays past {@link IDLE_WORKER_MS}. */
function keepWorker(worker: Worker): void {
  worker.unref();
  const gone = () => {
    const at = idle.indexOf(entry);
    if (at >= 0) idle.splice(at, 1);
    clearTimeout(entry.timer);
  };
  const entry = {
    worker,
    gone,
    timer: setTimeout(() => {
      gone();
      void worker.terminate();
    }, IDLE_WORKER_MS).unref(),
  };
  worker.once('exit', gone);
  idle.push(entry);
}

/**
 * `readKeyMaterial` for an upload. Without a password nothing is decrypted, and it runs here; with
 * one it runs in a worker thread. `name` is the uploaded file's name, for the commands a message
 * gives.
 */
export async function readKeyMaterialOffThread(
  bytes: Uint8Array,
  password: string | undefined,
  options: { timeLimitMs?: number; signal?: AbortSignal; name?: string } = {},
): Promise<Result<KeyMaterial>> {
  if (password === undefined && bytes.length <= MAX_MAIN_THREAD_BYTES)
    return readKeyMaterial(bytes, { name: options.name });
  const turn = await turns.take(options.signal);
  if (turn === 'busy') return BUSY;
  if (turn === 'abandoned') return ABANDONED;
  try {
    return await inWorker(
      { bytes, password, name: options.name },
      options.timeLimitMs ?? DECRYPT_TIME_LIMIT_MS,
      options.signal,
    );
  } finally {
    turns.release();
  }
}

function inWorker(
  job: DecryptJob,
  timeLimitMs: number,
  signal: AbortSignal | undefined,
): Promise<Result<KeyMaterial>> {
  const worker = takeWorker();
  return new Promise((resolve) => {
    const settle = (result: Result<KeyMaterial>, reusable: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandoned);
      worker.off('message', answered);
      worker.off('error', broken);
      worker.off('exit', broken);
      if (reusable) keepWorker(worker);
      else void worker.terminate();
      resolve(result);
    };
    const answered = (result: Result<KeyMaterial>) => settle(result, true);
    // The worker's own failure (out of memory, a bug): no detail of it reaches the answer or the log.
    const broken = () =>
      settle(
        fail(
          'corrupted',
          'fileOpenFailed',
          'The file could not be read: opening it failed on the server.',
        ),
        false,
      );
    const timer = setTimeout(
      () =>
        settle(
          fail(
            'too-costly',
            'fileTooSlow',
            `Opening the encrypted file took longer than ${timeLimitMs / 1000} seconds and was stopped: export or encrypt it again with the tool's default iteration count (e.g. "openssl pkcs12 -export -iter 2048").`,
            { seconds: timeLimitMs / 1000 },
          ),
          false,
        ),
      timeLimitMs,
    );
    // Nobody waits for the answer any more: the worker is stopped, its core freed for the next file.
    const abandoned = () => settle(ABANDONED, false);
    signal?.addEventListener('abort', abandoned, { once: true });
    worker.on('message', answered);
    worker.on('error', broken);
    worker.on('exit', broken);
    worker.postMessage(job);
  });
}
