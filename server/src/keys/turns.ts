/**
 * Costly work a few at a time: at most `maxRunning` run, at most `maxWaiting` wait their turn in
 * each lane, more are turned away at once, and a waiting request whose client has gone leaves the
 * queue. The decryption of uploads and RSA key generation share libuv's threads and the cores with
 * every other request; without a bound one account could make everyone else's calls wait.
 *
 * Work that takes milliseconds and that people wait for (the key check) waits in the `first`
 * lane, which gets a free turn before the `last` lane (generations of seconds each): however many
 * generations wait, a check waits for one running piece of work at most. Not forever, though:
 * after `maxWaiting` checks in a row a waiting generation runs, so that a stream of checks from
 * anyone with the view permission cannot hold every generation off.
 */
export type Lane = 'first' | 'last';

export class Turns {
  private running = 0;
  private readonly waiting: Record<Lane, Array<() => void>> = { first: [], last: [] };
  /** Turns given to the `first` lane one after another while the `last` lane waited. */
  private firstInARow = 0;

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
    const { first, last } = this.waiting;
    const lane: Lane =
      first.length > 0 && (last.length === 0 || this.firstInARow < this.maxWaiting)
        ? 'first'
        : 'last';
    const next = this.waiting[lane].shift();
    if (!next) {
      this.running--;
      return;
    }
    this.firstInARow = lane === 'first' && last.length > 0 ? this.firstInARow + 1 : 0;
    next();
  }
}
