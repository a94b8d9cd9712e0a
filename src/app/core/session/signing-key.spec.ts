import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../api/joc-api';
import type { ApiResult } from '../api/joc-error';
import { Session } from './session';
import { utcDayNumber } from '../../../pki/days';
import { followDays } from './follow-days';
import { SigningKey } from './signing-key';

/** Reads of the pair that overlap: what the server said last is what stays. */
describe('SigningKey', () => {
  let answers: ((answer: ApiResult<JocKeyPairAnswer>) => void)[];
  let signingKey: SigningKey;
  const session = signal<string | undefined>('T1');
  const policy = signal({ showTab: true, readsKey: true });

  beforeEach(() => {
    answers = [];
    session.set('T1');
    policy.set({ showTab: true, readsKey: true });
    TestBed.configureTestingModule({
      providers: [
        {
          provide: JocApi,
          useValue: {
            showKey: () =>
              new Promise<ApiResult<JocKeyPairAnswer>>((resolve) => answers.push(resolve)),
          },
        },
        {
          provide: Session,
          useValue: {
            policy,
            keyTabExpected: () => false,
            token: session,
          },
        },
      ],
    });
    signingKey = TestBed.inject(SigningKey);
  });

  const stored = { certificate: 'OLD', keyAlgorithm: 'ECDSA' };

  it('keeps the answer of the read after a write when an older read answers later', async () => {
    const before = signingKey.load();
    const after = signingKey.load({ maxAgeMs: 0 });
    answers[1]({ ok: true, value: {} });
    await after;
    answers[0]({ ok: true, value: stored });
    await before;
    expect(signingKey.pair()).toEqual({});
    expect(signingKey.loading()).toBeFalse();
  });

  it('drops a read that answers after a reset (the session ended)', async () => {
    const read = signingKey.load();
    signingKey.reset();
    answers[0]({ ok: true, value: stored });
    await read;
    expect(signingKey.pair()).toBeUndefined();
    expect(signingKey.loading()).toBeFalse();
  });

  it('serves nothing read in a session that ended to the next one (expired, then another login)', async () => {
    const first = signingKey.load();
    answers[0]({ ok: true, value: stored });
    await first;
    session.set(undefined);
    session.set('T2');
    const next = signingKey.load();
    expect(answers.length).toBe(2);
    expect(signingKey.pair()).toBeUndefined();
    answers[1]({ ok: true, value: {} });
    await next;
    expect(signingKey.pair()).toEqual({});
  });

  it("at LOW, another account reads the default account's key for the banner, without its private key", async () => {
    policy.set({ showTab: false, readsKey: true });
    const read = signingKey.load();
    answers[0]({ ok: true, value: { ...stored, privateKey: 'KEY', validUntil: '2027-01-01' } });
    await read;
    expect(signingKey.pair()).toEqual({ ...stored, validUntil: '2027-01-01' });
  });

  describe('judges the pair at a moment that moves on for a page left open', () => {
    let start: Date | undefined;
    beforeEach(() => {
      jasmine.clock().install();
      // As the tab and the banner do, with the day of the person's zone (here UTC).
      start = undefined;
      TestBed.runInInjectionContext(() =>
        followDays(
          signingKey,
          () => utcDayNumber,
          () => start,
        ),
      );
    });
    afterEach(() => jasmine.clock().uninstall());

    async function read(value: JocKeyPairAnswer, at: string) {
      jasmine.clock().mockDate(new Date(at));
      const load = signingKey.load({ maxAgeMs: 0 });
      answers.at(-1)!({ ok: true, value });
      await load;
      TestBed.tick();
    }
    const minute = () => {
      jasmine.clock().tick(60_000);
      TestBed.tick();
    };

    it('at a new calendar day, and not before', async () => {
      await read({ ...stored, validUntil: '2027-03-09T12:00:00Z' }, '2027-03-01T23:58:10Z');
      expect(signingKey.now().toISOString()).toBe('2027-03-01T23:58:10.000Z');
      minute();
      expect(signingKey.now().toISOString()).toBe('2027-03-01T23:58:10.000Z');
      minute();
      expect(signingKey.now().toISOString()).toBe('2027-03-02T00:00:10.000Z');
    });

    it("at the certificate's end, within the minute", async () => {
      await read({ ...stored, validUntil: '2027-03-01T14:30:00Z' }, '2027-03-01T14:28:40Z');
      minute();
      expect(signingKey.now().toISOString()).toBe('2027-03-01T14:28:40.000Z');
      minute();
      expect(signingKey.now().toISOString()).toBe('2027-03-01T14:30:40.000Z');
    });

    it("at the certificate's start, when the server's clock made it start ahead of this one", async () => {
      start = new Date('2027-03-01T10:00:30Z');
      await read({ ...stored, validUntil: '2027-03-09T12:00:00Z' }, '2027-03-01T10:00:00Z');
      minute();
      expect(signingKey.now().toISOString()).toBe('2027-03-01T10:01:00.000Z');
    });

    it('from the read of another pair; the same pair read again keeps its moment', async () => {
      const pair = { ...stored, validUntil: '2027-03-09T12:00:00Z' };
      await read(pair, '2027-03-01T10:00:00Z');
      await read({ ...pair }, '2027-03-01T10:05:00Z');
      expect(signingKey.now().toISOString()).toBe('2027-03-01T10:00:00.000Z');
      await read({ ...pair, certificate: 'NEW' }, '2027-03-01T10:06:00Z');
      expect(signingKey.now().toISOString()).toBe('2027-03-01T10:06:00.000Z');
    });
  });
});
