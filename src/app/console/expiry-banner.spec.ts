import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { JocKeyPair, JocKeyPairAnswer } from '../../contract';
import { I18n } from '../core/i18n/i18n';
import { dayNumber } from '../core/session/date-format';
import { Preferences } from '../core/session/preferences';
import { SigningKey, expiryOf } from '../core/session/signing-key';
import { Session } from '../core/session/session';
import { SslCa } from '../core/session/ssl-ca';
import { ExpiryBanner } from './expiry-banner';
import { provideI18nTesting } from '../core/i18n/testing';
import { generateCa, type GeneratedPair } from '../../pki';
import { caValidBetween, pairValidBetween, untilEndOfDay } from '../../pki/testing';

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
  afterEach(() => sessionStorage.removeItem('joc-keys.session'));

  async function render(validUntil: string | undefined, account?: string) {
    TestBed.configureTestingModule({
      providers: [
        // angular.json's providersFile is a Vitest option: Karma does not read it.
        ...provideI18nTesting(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    if (account) {
      // Logged in as `account` at LOW, where root's key signs every deployment.
      sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 't', account }));
      const session = TestBed.inject(Session);
      session.properties.set({
        securityLevel: 'LOW',
        defaultProfileAccount: 'root',
        forceCommentsForAuditLog: false,
        comments: [],
      });
      session.permissions.set({
        roles: [],
        joc: { administration: { certificates: { view: true, manage: true } } },
      });
    }
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

  it('at LOW, to the other accounts: the same warning, and whose key it is instead of a link', async () => {
    const el = await render(new Date(Date.now() + 20 * DAY).toISOString(), 'alice');
    expect(el.textContent).toContain('The signing certificate expires in 20 days');
    expect(el.textContent).toContain('The key belongs to the account root: ask them to renew it.');
    expect(el.querySelector('a[href="/profile/signature-keys"]')).toBeNull();
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

    it('says "today", "tomorrow" and "2 days" in English, as the row does', async () => {
      const one = (await render(new Date(Date.now() + untilEndOfDay(1) * DAY).toISOString()))
        .textContent;
      expect(one).toContain('expires tomorrow (');
      TestBed.resetTestingModule();
      const two = (await render(new Date(Date.now() + untilEndOfDay(2) * DAY).toISOString()))
        .textContent;
      expect(two).toContain('expires in 2 days (');
      TestBed.resetTestingModule();
      const today = (await render(new Date(Date.now() + untilEndOfDay(0) * DAY).toISOString()))
        .textContent;
      expect(today).toContain('expires today (');
    });

    it('follows a switch to German at once, with German plurals and month names', async () => {
      const el = await render(new Date(Date.now() + untilEndOfDay(1) * DAY).toISOString());
      await TestBed.inject(I18n).use('de');
      await stable();
      expect(el.textContent).toContain('Das Signaturzertifikat läuft morgen ab');
      expect(el.textContent).toContain('Signaturschlüssel verwalten');
      expect(el.textContent).not.toContain('signing');
      TestBed.resetTestingModule();
      const expired = await render('2020-01-01T12:00:00Z');
      await TestBed.inject(I18n).use('de');
      await stable();
      expect(expired.textContent).toContain('ist am 2020-01-01 abgelaufen');
    });
  });

  describe('what the certificate itself and its CA say', () => {
    afterEach(() => {
      localStorage.removeItem('joc-keys.language');
      document.documentElement.lang = 'en';
    });

    /** The SSL CA, valid from 400 days ago for five years, and a certificate it issued for a year. */
    async function issued(): Promise<{ ca: GeneratedPair; pair: JocKeyPair }> {
      const made = await generateCa({
        dn: 'CN=Short CA,O=JS7',
        now: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() + 1800 * DAY),
      });
      if (!made.ok) throw new Error(made.message);
      const issuer = {
        privateKey: made.value.privateKey.pem,
        certificate: made.value.certificate.pem,
      };
      const leaf = await pairValidBetween(-1, 365, { dn: 'CN=root,OU=JOC,O=JS7', issuer });
      return { ca: made.value, pair: answerOf(leaf) };
    }
    const answerOf = (made: GeneratedPair, certificate = made.certificate.pem): JocKeyPair => ({
      privateKey: made.privateKey.pem,
      certificate,
      validUntil: made.certificate.notAfter.toISOString(),
      keyAlgorithm: 'ECDSA',
    });
    const caAnswer = (ca: GeneratedPair): JocKeyPair => ({
      certificate: ca.certificate.pem,
      keyAlgorithm: 'ECDSA',
      keyType: 'CA',
    });

    /** The banner for `pair`, with `/profile/ca` answered `ca` when the banner asks. */
    async function shown(pair: JocKeyPair, ca?: JocKeyPairAnswer) {
      TestBed.configureTestingModule({
        providers: [
          ...provideI18nTesting(),
          provideRouter([]),
          provideHttpClient(),
          provideHttpClientTesting(),
        ],
      });
      TestBed.inject(SigningKey).pair.set(pair);
      const fixture = TestBed.createComponent(ExpiryBanner);
      const http = TestBed.inject(HttpTestingController);
      const element = fixture.nativeElement as HTMLElement;
      let asked = false;
      const settled = async (what: (text: string) => boolean) => {
        for (let i = 0; i < 250; i++) {
          fixture.detectChanges();
          if (ca)
            for (const call of http.match('/joc/api/profile/ca')) {
              asked = true;
              call.flush(ca);
            }
          if (what(element.textContent ?? '')) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`the banner says: ${element.textContent}`);
      };
      return { fixture, http, element, settled, asked: () => asked };
    }
    const date = (d: Date) => TestBed.inject(Preferences).date(d);

    it('warns when the SSL CA that issued the certificate ends within the threshold', async () => {
      const { ca, pair } = await issued();
      const ending = await caValidBetween(ca, -400, untilEndOfDay(20));
      const { element, settled } = await shown(pair, caAnswer(ending));
      await settled((text) => text.includes('SSL CA'));
      expect(element.textContent).toContain(
        `The SSL CA that issued the signing certificate expires in 20 days (${date(ending.certificate.notAfter)}): after that, deployments of Workflows and Job Resources fail. Renew the CA and store a new key certified by it before then.`,
      );
      // The certificate itself is fine: the banner says nothing of it, and warns (amber, not red).
      expect(element.textContent).not.toContain('The signing certificate expires');
      expect(element.querySelector('.banner.expired')).toBeNull();
      const links = Array.from(element.querySelectorAll('a')).map((a) => [
        a.textContent?.trim(),
        a.getAttribute('href'),
      ]);
      expect(links).toEqual([
        ['Manage the signing key', '/profile/signature-keys'],
        ['Manage the SSL CA', '/profile/ssl-keys'],
      ]);
    });

    it('says that deployments fail once the SSL CA has expired, in the error colours', async () => {
      const { ca, pair } = await issued();
      const expired = await caValidBetween(ca, -400, -1);
      const { element, settled } = await shown(pair, caAnswer(expired));
      await settled((text) => text.includes('SSL CA'));
      expect(element.textContent).toContain(
        `The SSL CA that issued the signing certificate expired on ${date(expired.certificate.notAfter)}: Controllers and Agents that check certificate dates no longer trust what the key signs, and deployments of Workflows and Job Resources fail there. A new CA and a new key certified by it are needed.`,
      );
      expect(element.querySelector('.banner.expired mat-icon')?.textContent).toBe('error');
    });

    it('names a CA from the stored chain as "the CA", without the SSL CA\'s link', async () => {
      const { ca, pair } = await issued();
      const expired = await caValidBetween(ca, -400, -1);
      // The stored text carries the (expired) CA after the certificate; no SSL CA is configured.
      const chain = { ...pair, certificate: pair.certificate + expired.certificate.pem };
      const { element, settled } = await shown(chain, {});
      await settled((text) => text.includes('The CA that issued'));
      expect(element.textContent).toContain(
        `The CA that issued the signing certificate expired on ${date(expired.certificate.notAfter)}`,
      );
      expect(element.textContent).not.toContain('Manage the SSL CA');
    });

    it('follows a CA renewed on the SSL tab, and says nothing of a CA valid beyond the threshold', async () => {
      const { ca, pair } = await issued();
      const expired = await caValidBetween(ca, -400, -1);
      const { element, settled, fixture } = await shown(pair, caAnswer(expired));
      await settled((text) => text.includes('expired on'));
      TestBed.inject(SslCa).seen(caAnswer(ca));
      await settled((text) => !text.includes('SSL CA'));
      await fixture.whenStable();
      expect(element.textContent?.trim()).toBe('');
    });

    it('warns of a certificate that is not valid yet: deployments fail until then', async () => {
      // Self-signed: the SSL CA, which cannot have issued it, is not even asked for.
      const future = await pairValidBetween(2, 300);
      const { element, settled, http } = await shown(answerOf(future));
      await settled((text) => text.includes('valid only from'));
      expect(http.match('/joc/api/profile/ca').length).toBe(0);
      const from = TestBed.inject(Preferences).dateTime(future.certificate.notBefore);
      expect(element.textContent).toContain(
        `The signing certificate is valid only from ${from}: until then, deployments of Workflows and Job Resources fail on Controllers and Agents that check certificate dates.`,
      );
      expect(element.querySelector('.banner.expired')).not.toBeNull();
    });

    it('says it in German too', async () => {
      const { ca, pair } = await issued();
      const ending = await caValidBetween(ca, -400, untilEndOfDay(1));
      const { element, settled, fixture } = await shown(pair, caAnswer(ending));
      await TestBed.inject(I18n).use('de');
      await settled((text) => text.includes('SSL CA'));
      await fixture.whenStable();
      expect(element.textContent).toContain(
        'Die SSL CA, die das Signaturzertifikat ausgestellt hat, läuft morgen ab',
      );
      expect(element.textContent).toContain('SSL CA verwalten');
    });
  });
});
