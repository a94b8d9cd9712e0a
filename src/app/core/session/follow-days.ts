import { effect } from '@angular/core';
import type { DayNumber } from '../../../pki/days';
import { parseJocDate } from '../api/joc-date';
import { type SigningKey, hasKeyPair } from './signing-key';

/**
 * Moves `signingKey.now` on while the calling component lives (the tab, the banner): at a new
 * calendar day of `dayNumber`, when the certificate's end passes, and when its start (`start`,
 * read from the certificate by the caller) passes: a certificate made by a server whose clock is
 * ahead of this browser's starts a moment "in the future". Call it in an injection context. Its
 * own module, with the callers' code: the first screen does without it.
 */
export function followDays(
  signingKey: SigningKey,
  dayNumber: () => DayNumber,
  start: () => Date | undefined = () => undefined,
): void {
  effect((onCleanup) => {
    const pair = signingKey.pair();
    if (!hasKeyPair(pair)) return;
    const judged = signingKey.now();
    const day = dayNumber();
    const moments = [parseJocDate(pair.validUntil), start()];
    // Background tabs run timers once a minute at most: a finer check would not be more exact.
    const timer = setInterval(() => {
      const at = new Date();
      const passed = moments.some((m) => !!m && judged < m && at >= m);
      if (passed || day(at) !== day(judged)) signingKey.now.set(at);
    }, 60_000);
    onCleanup(() => clearInterval(timer));
  });
}
