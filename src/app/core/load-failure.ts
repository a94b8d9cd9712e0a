import { Injectable, signal } from '@angular/core';

/**
 * A part of the console whose code could not be loaded: the server was unreachable, or it was
 * updated since the page was opened and the file is gone. The browser keeps a failed module
 * import until the page is reloaded, so trying again without a reload fails the same way.
 */
@Injectable({ providedIn: 'root' })
export class LoadFailure {
  readonly happened = signal(false);

  report(): void {
    this.happened.set(true);
  }
}

/** Whether an error is a module (chunk) that could not be loaded, in the words browsers use. */
export function isLoadFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically imported/i.test(
      error.message,
    )
  );
}
