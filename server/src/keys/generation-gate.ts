/**
 * RSA key generation, a few at a time. Generating an RSA-4096 key takes a second or more on one
 * of libuv's four threads, the same threads that check passwords (scrypt) and read files: without
 * a bound, one account sending dozens of generations at once makes every login wait behind them.
 * So at most {@link MAX_RSA_GENERATIONS} run at once, at most {@link MAX_WAITING_GENERATIONS} wait
 * their turn, and more are refused at once. A waiting request whose client has gone leaves the
 * queue. (ECDSA keys take a millisecond and are not held back.)
 *
 * Each key (its owner and level: at LOW every manager's Generate makes the default account's) has
 * at most one generation running or waiting: a key replaces the one before, so a second one at the
 * same time is of no use, and without this one account could hold every turn and every place in
 * the queue, and other accounts would never get theirs.
 */
import { invalid } from '../http/errors';
import { Turns } from './turns';

/** RSA generations at a time: half of libuv's default four threads, so logins never wait. */
export const MAX_RSA_GENERATIONS = 2;
/** Generations waiting for their turn; more are refused at once. */
export const MAX_WAITING_GENERATIONS = 4;

export const GENERATION_BUSY_MESSAGE =
  'The server is generating other RSA keys right now: try again in a minute.';
export const OWN_GENERATION_MESSAGE =
  'An RSA key generation for this key is still running: wait for it to end, then try again.';

export class GenerationGate {
  private readonly turns: Turns;
  /** Keys with a generation running or waiting. */
  private readonly keys = new Set<string>();

  /**
   * `turns` may be shared with other work on libuv's threads (the key check's sample signature),
   * so that all of it together keeps to {@link MAX_RSA_GENERATIONS} threads.
   */
  constructor(
    maxRunning = MAX_RSA_GENERATIONS,
    maxWaiting = MAX_WAITING_GENERATIONS,
    turns = new Turns(maxRunning, maxWaiting),
  ) {
    this.turns = turns;
  }

  /**
   * Runs `work` for the key named `key` in its turn; JOC-420 when a generation of that key has
   * not ended, when too many wait, or when the client left while waiting.
   */
  async run<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.keys.has(key)) throw invalid('JOC-420', OWN_GENERATION_MESSAGE);
    this.keys.add(key);
    try {
      const turn = await this.turns.take(signal, 'last');
      if (turn === 'busy') throw invalid('JOC-420', GENERATION_BUSY_MESSAGE);
      if (turn === 'abandoned') throw abandoned();
      try {
        return await work();
      } finally {
        this.turns.release();
      }
    } finally {
      this.keys.delete(key);
    }
  }
}

const abandoned = () =>
  invalid('JOC-420', 'The request ended before its key was generated: nothing was stored.');
