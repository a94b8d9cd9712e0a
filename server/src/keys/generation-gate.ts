/**
 * RSA key generation, a few at a time. Generating an RSA-4096 key takes a second or more on one
 * of libuv's four threads, the same threads that check passwords (scrypt) and read files: without
 * a bound, one account sending dozens of generations at once makes every login wait behind them.
 * So at most {@link MAX_RSA_GENERATIONS} run at once, at most {@link MAX_WAITING_GENERATIONS} wait
 * their turn, and more are refused at once. A waiting request whose client has gone leaves the
 * queue. (ECDSA keys take a millisecond and are not held back.)
 */
import { invalid } from '../http/errors';
import { Turns } from './turns';

/** RSA generations at a time: half of libuv's default four threads, so logins never wait. */
export const MAX_RSA_GENERATIONS = 2;
/** Generations waiting for their turn; more are refused at once. */
export const MAX_WAITING_GENERATIONS = 4;

export const GENERATION_BUSY_MESSAGE =
  'The server is generating other RSA keys right now: try again in a minute.';

export class GenerationGate {
  private readonly turns: Turns;

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

  /** Runs `work` in its turn; JOC-420 when too many wait, or when the client left while waiting. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const turn = await this.turns.take(signal);
    if (turn === 'busy') throw invalid('JOC-420', GENERATION_BUSY_MESSAGE);
    if (turn === 'abandoned') throw abandoned();
    try {
      return await work();
    } finally {
      this.turns.release();
    }
  }
}

const abandoned = () =>
  invalid('JOC-420', 'The request ended before its key was generated: nothing was stored.');
