import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../api/joc-api';
import type { ApiResult } from '../api/joc-error';
import { Session } from './session';
import { SigningKey } from './signing-key';

/** Reads of the pair that overlap: what the server said last is what stays. */
describe('SigningKey', () => {
  let answers: ((answer: ApiResult<JocKeyPairAnswer>) => void)[];
  let signingKey: SigningKey;

  beforeEach(() => {
    answers = [];
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
          useValue: { policy: signal({ showTab: true }), keyTabExpected: () => false },
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
});
