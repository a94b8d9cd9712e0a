import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { I18n } from '../core/i18n/i18n';
import { dayNumber } from '../core/session/date-format';
import { SigningKey, expiryOf } from '../core/session/signing-key';
import { ExpiryBanner } from './expiry-banner';
import { provideI18nTesting } from '../core/i18n/testing';
import { untilEndOfDay } from '../../pki/testing';

describe('expiry banner', () => {
  const DAY = 86_400_000;
  const now = new Date('2027-01-01T00:00:00Z');

  it('expiryOf: valid, inside the threshold, expired', () => {
    expect(expiryOf(new Date(now.getTime() + 100 * DAY).toISOString(), now, 60)?.state).toBe(
      'valid',
    );
    expect(expiryOf(new Date(now.getTime() + 30 * DAY).toISOString(), now, 60)).toEqual(
      jasmine.objectContaining({ state: 'expiring', daysLeft: 30 }),
    );
    expect(expiryOf(new Date(now.getTime() - DAY).toISOString(), now, 60)?.state).toBe('expired');
    expect(expiryOf(undefined, now, 60)).toBeUndefined();
  });

  it("expiryOf: counts calendar days in the person's zone", () => {
    const seen = new Date('2027-01-01T14:00:00Z');
    // Ends at 16:00 UTC: later the same day in UTC, after midnight in Tokyo.
    const end = '2027-01-01T16:00:00Z';
    expect(expiryOf(end, seen, 60, (d) => dayNumber(d, 'UTC'))?.daysLeft).toBe(0);
    expect(expiryOf(end, seen, 60, (d) => dayNumber(d, 'Asia/Tokyo'))?.daysLeft).toBe(1);
    // Made for 12 days and seen two hours later: 12 days left.
    expect(expiryOf('2027-01-13T12:00:00Z', new Date('2027-01-01T14:00:00Z'), 60)?.daysLeft).toBe(
      12,
    );
  });

  let stable: () => Promise<unknown> = async () => undefined;
  async function render(validUntil: string | undefined) {
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    TestBed.inject(SigningKey).pair.set(
      validUntil ? { keyAlgorithm: 'ECDSA', certificate: 'C', validUntil } : {},
    );
    const fixture = TestBed.createComponent(ExpiryBanner);
    await fixture.whenStable();
    stable = () => fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('warns when the certificate is inside the threshold (default 60 days)', async () => {
    const el = await render(new Date(Date.now() + 20 * DAY).toISOString());
    expect(el.textContent).toContain('The signing certificate expires in 20 days');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('/profile/signature-keys');
  });

  it('says when it has expired and what then fails', async () => {
    const el = await render('2020-01-01T12:00:00Z');
    expect(el.textContent).toContain(
      'The signing certificate expired on 2020-01-01: deployments of Workflows and Job Resources fail',
    );
  });

  it('is absent when the certificate is valid beyond the threshold, or there is none', async () => {
    expect((await render(new Date(Date.now() + 200 * DAY).toISOString())).textContent?.trim()).toBe(
      '',
    );
    TestBed.resetTestingModule();
    expect((await render(undefined)).textContent?.trim()).toBe('');
  });

  describe("in the person's language", () => {
    afterEach(() => {
      localStorage.removeItem('joc-keys.language');
      document.documentElement.lang = 'en';
    });

    it('says "1 day" and "today" in English', async () => {
      const one = (await render(new Date(Date.now() + untilEndOfDay(1) * DAY).toISOString()))
        .textContent;
      expect(one).toContain('expires in 1 day (');
      TestBed.resetTestingModule();
      const today = (await render(new Date(Date.now() + untilEndOfDay(0) * DAY).toISOString()))
        .textContent;
      expect(today).toContain('expires today (');
    });

    it('follows a switch to German at once, with German plurals and month names', async () => {
      const el = await render(new Date(Date.now() + untilEndOfDay(1) * DAY).toISOString());
      await TestBed.inject(I18n).use('de');
      await stable();
      expect(el.textContent).toContain('Das Signaturzertifikat läuft in 1 Tag ab');
      expect(el.textContent).toContain('Signaturschlüssel verwalten');
      expect(el.textContent).not.toContain('signing');
      TestBed.resetTestingModule();
      const expired = await render('2020-01-01T12:00:00Z');
      await TestBed.inject(I18n).use('de');
      await stable();
      expect(expired.textContent).toContain('ist am 2020-01-01 abgelaufen');
    });
  });
});
