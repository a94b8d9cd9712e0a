/**
 * Costly work a few at a time: at most `maxRunning` run, at most `maxWaiting` wait their turn in
 * each lane, more are turned away at once, and a waiting request whose client has gone leaves the
 * queue. The decryption of uploads and RSA key generation share libuv's threads and the cores with
 * every other request; without a bound one account could make everyone else's calls wait.
 *
 * Work that takes milliseconds and that people wait for (the key check) waits in the `first`
 * lane, which gets every free turn before the `last` lane (generations of seconds each): however
 * many generations wait, a check waits for one running piece of work at most.
 */
export type Lane = 'first' | 'last';

export class Turns {
  private running = 0;
  private readonly waiting: Record<Lane, Array<() => void>> = { first: [], last: [] };

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  /** A turn (`run`, then {@link release} once done); `busy` when too many wait; `abandoned`. */
  take(signal?: AbortSignal, lane: Lane = 'last'): Promise<'run' | 'busy' | 'abandoned'> {
    if (signal?.aborted) return Promise.resolve('abandoned');
    if (this.running < this.maxRunning) {
      this.running++;
      return Promise.resolve('run');
    }
    const queue = this.waiting[lane];
    if (queue.length >= this.maxWaiting) return Promise.resolve('busy');
    return new Promise((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve('run');
      };
      const leave = () => {
        const at = queue.indexOf(go);
        if (at >= 0) queue.splice(at, 1);
        resolve('abandoned');
      };
      signal?.addEventListener('abort', leave, { once: true });
      queue.push(go);
    });
  }

  /** Ends a turn: the next waiting one runs, the `first` lane's before the `last` lane's. */
  release(): void {
    const next = this.waiting.first.shift() ?? this.waiting.last.shift();
    if (next) next();
    else this.running--;
  }
}
