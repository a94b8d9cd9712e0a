import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../api/joc-api';
import type { ApiResult } from '../api/joc-error';
import { Session } from './session';
import { SslCa } from './ssl-ca';

describe('SslCa', () => {
  let reads: number;
  const token = signal<string | undefined>('T1');

  beforeEach(() => {
    reads = 0;
    token.set('T1');
    TestBed.configureTestingModule({
      providers: [
        {
          provide: JocApi,
          useValue: {
            showCa: (): Promise<ApiResult<JocKeyPairAnswer>> => {
              reads++;
              return Promise.resolve({
                ok: true,
                value: { certificate: `CA${reads}`, keyAlgorithm: 'RSA' },
              });
            },
          },
        },
        { provide: Session, useValue: { token } },
      ],
    });
  });

  it('serves a read CA again within its session', async () => {
    const ca = TestBed.inject(SslCa);
    expect(await ca.read()).toEqual({ certificate: 'CA1' });
    expect(await ca.read()).toEqual({ certificate: 'CA1' });
    expect(reads).toBe(1);
  });

  it('reads afresh once the session changed, though nobody logged out through the menu', async () => {
    const ca = TestBed.inject(SslCa);
    await ca.read();
    // The session expired and someone logged in again in this tab.
    token.set('T2');
    expect(await ca.read()).toEqual({ certificate: 'CA2' });
    expect(reads).toBe(2);
  });
});
