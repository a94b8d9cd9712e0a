/**
 * Costly work a few at a time: at most `maxRunning` run, at most `maxWaiting` wait their turn,
 * more are turned away at once, and a waiting request whose client has gone leaves the queue. The
 * decryption of uploads and RSA key generation share libuv's threads and the cores with every
 * other request; without a bound one account could make everyone else's calls wait.
 */
export class Turns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  /** A turn (`run`, then {@link release} once done); `busy` when too many wait; `abandoned`. */
  take(signal?: AbortSignal): Promise<'run' | 'busy' | 'abandoned'> {
    if (signal?.aborted) return Promise.resolve('abandoned');
    if (this.running < this.maxRunning) {
      this.running++;
      return Promise.resolve('run');
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve('busy');
    return new Promise((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve('run');
      };
      const leave = () => {
        const at = this.waiting.indexOf(go);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve('abandoned');
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(go);
    });
  }

  /** Ends a turn: the next waiting one runs. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
