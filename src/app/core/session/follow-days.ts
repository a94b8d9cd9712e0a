import { effect } from '@angular/core';
import type { DayNumber } from '../../../pki/days';
import { parseJocDate } from '../api/joc-date';
import { type SigningKey, hasKeyPair } from './signing-key';

/**
 * Moves `signingKey.now` on while the calling component lives (the tab, the banner): at a new
 * calendar day of `dayNumber` and when the certificate's end passes. Call it in an injection
 * context. Its own module, with the callers' code: the first screen does without it.
 */
export function followDays(signingKey: SigningKey, dayNumber: () => DayNumber): void {
  effect((onCleanup) => {
    const pair = signingKey.pair();
    if (!hasKeyPair(pair)) return;
    const judged = signingKey.now();
    const day = dayNumber();
    const end = parseJocDate(pair.validUntil);
    // Background tabs run timers once a minute at most: a finer check would not be more exact.
    const timer = setInterval(() => {
      const at = new Date();
      const ended = !!end && judged < end && at >= end;
      if (ended || day(at) !== day(judged)) signingKey.now.set(at);
    }, 60_000);
    onCleanup(() => clearInterval(timer));
  });
}
