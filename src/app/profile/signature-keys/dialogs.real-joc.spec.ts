import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatRadioGroupHarness } from '@angular/material/radio/testing';
import type { JocKeyPairAnswer } from '../../../contract';
import { Session } from '../../core/session/session';
import { REAL_JOC_ERRORS } from '../../testing/real-joc-answers';
import { KeyDialogs } from '../key-tab/key-dialogs';
import { NO_AUDIT, pairValidBetween, testProviders, until } from '../key-tab/testing';

@Component({ template: '' })
class Host {}

/** The writing dialogs against what a real JOC Cockpit answers and does. */
describe('Key dialogs against a real JOC Cockpit', () => {
  function setUp(embedded: boolean) {
    TestBed.configureTestingModule({ providers: testProviders() });
    // What /joc/properties said: the embedded server announces itself, real JOC does not.
    TestBed.inject(Session).properties.set({
      securityLevel: 'LOW',
      defaultProfileAccount: 'root',
      forceCommentsForAuditLog: false,
      comments: [],
      ...(embedded ? { embeddedServer: true as const } : {}),
    });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const http = TestBed.inject(HttpTestingController);
    return { fixture, loader, http, dialogs: TestBed.inject(KeyDialogs) };
  }

  describe('433 (four-eyes approval)', () => {
    it('Delete: shows JOC’s message and the approvers, says nothing changed, stays open', async () => {
      const { fixture, loader, http, dialogs } = setUp(false);
      const result = dialogs.delete({ subject: 'CN=root', audit: NO_AUDIT });
      const dialog = await loader.getHarness(MatDialogHarness);
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Delete' }))).click();
      const { status, body } = REAL_JOC_ERRORS.approval;
      http.expectOne('/joc/api/profile/key/delete').flush(body, { status, statusText: 'x' });
      await fixture.whenStable();
      await until(
        async () => (await dialog.getContentText()).includes('Approval required'),
        'the 433 message',
      );
      const text = await dialog.getContentText();
      expect(text).toContain('Approval required: the change was not made');
      expect(text).toContain('4-eyes principle: Operation needs approval process');
      expect(text).toContain('Who can approve');
      expect(text).toContain('Anna Berg (anna)');
      expect(text).toContain('ops-lead');
      expect(text).toContain('make the change in JOC Cockpit');
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).click();
      expect(await result).toBeUndefined();
    });

    it('Generate: the same message; no pair is returned', async () => {
      const { fixture, loader, http, dialogs } = setUp(false);
      const result = dialogs.generate({ account: 'root', audit: NO_AUDIT });
      const dialog = await loader.getHarness(MatDialogHarness);
      http.expectOne('/joc/api/profile/ca').flush({});
      await fixture.whenStable();
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }))).click();
      const { status, body } = REAL_JOC_ERRORS.approval;
      http.expectOne('/joc/api/profile/key/generate').flush(body, { status, statusText: 'x' });
      await fixture.whenStable();
      await until(
        async () => (await dialog.getContentText()).includes('the change was not made'),
        'the 433 message',
      );
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).click();
      expect(await result).toBeUndefined();
    });
  });

  it('433 on a CA write (Generate the SSL CA): the same message; the CA is not replaced', async () => {
    const { fixture, loader, http, dialogs } = setUp(false);
    const result = dialogs.generateCa({ audit: NO_AUDIT });
    const dialog = await loader.getHarness(MatDialogHarness);
    await (await dialog.getHarness(MatInputHarness)).setValue('CN=JS7 CA,O=JS7');
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }))).click();
    const { status, body } = REAL_JOC_ERRORS.approval;
    http.expectOne('/joc/api/profile/ca/generate').flush(body, { status, statusText: 'x' });
    await fixture.whenStable();
    await until(
      async () => (await dialog.getContentText()).includes('the change was not made'),
      'the 433 message',
    );
    expect(await dialog.getContentText()).toContain('Anna Berg (anna)');
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).click();
    expect(await result).toBeUndefined();
  });

  describe('Generate', () => {
    async function openGenerate(embedded: boolean, ca: JocKeyPairAnswer = {}) {
      const env = setUp(embedded);
      const result = env.dialogs.generate({ account: 'root', audit: NO_AUDIT });
      const dialog = await env.loader.getHarness(MatDialogHarness);
      env.http.expectOne('/joc/api/profile/ca').flush(ca);
      await env.fixture.whenStable();
      return { ...env, dialog, result };
    }
    async function validCa(): Promise<JocKeyPairAnswer> {
      const ca = await pairValidBetween(-1, 1000, 'ECDSA', 'CN=CA');
      return {
        certificate: ca.certificate.pem,
        validUntil: ca.certificate.notAfter.toISOString(),
        keyID: 'CN=CA',
        keyAlgorithm: 'ECDSA',
        keyType: 'CA',
      };
    }

    it('self-signed against real JOC: says 365 days, the date field shows that end and is off', async () => {
      const { dialog } = await openGenerate(false);
      const text = await dialog.getContentText();
      expect(text).toContain('JOC Cockpit makes a self-signed certificate valid for 365 days');
      expect(text).toContain('ignores a chosen end date');
      expect(text).toContain('With "Use SSL CA" the date applies.');
      // JOC's self-signed certificates (issuer "O=JOC,OU=Self Signed", no extensions) are not
      // trusted by Controllers: the dialog says so before the key is made.
      expect(text).toContain(
        'Controllers do not accept the self-signed certificates JOC Cockpit makes',
      );
      const [, date] = await dialog.getAllHarnesses(MatInputHarness);
      expect(await date.isDisabled()).toBeTrue();
    });

    it('with "Use SSL CA" against real JOC: the chosen date applies again', async () => {
      const { dialog, http } = await openGenerate(false, await validCa());
      await (await dialog.getHarness(MatCheckboxHarness)).check();
      const [, date] = await dialog.getAllHarnesses(MatInputHarness);
      expect(await date.isDisabled()).toBeFalse();
      expect(await dialog.getContentText()).not.toContain('365 days');
      expect(await dialog.getContentText()).not.toContain('do not accept');
      // JOC rewrites the subject from its CA's (CAUtils.createUserSubjectDN).
      expect(await dialog.getContentText()).toContain(
        "JOC Cockpit completes the subject from the CA's",
      );
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }))).click();
      const req = http.expectOne('/joc/api/profile/key/generate');
      expect(req.request.body.useSslCa).toBeTrue();
      expect(new Date(req.request.body.validUntil).getFullYear()).toBe(
        new Date().getFullYear() + 2,
      );
      req.flush({ keyAlgorithm: 'ECDSA' });
    });

    it('RSA against real JOC: "Use SSL CA" is off with the reason, and unchecked if it was on', async () => {
      const { dialog } = await openGenerate(false, await validCa());
      const box = await dialog.getHarness(MatCheckboxHarness);
      await box.check();
      await (
        await dialog.getHarness(MatRadioGroupHarness)
      ).checkRadioButton({ label: 'RSA 4096 bits' });
      expect(await box.isDisabled()).toBeTrue();
      expect(await box.isChecked()).toBeFalse();
      expect(await dialog.getContentText()).toContain(
        'JOC Cockpit cannot sign an RSA key with its SSL CA',
      );
      await (
        await dialog.getHarness(MatRadioGroupHarness)
      ).checkRadioButton({ label: 'ECDSA P-256 (recommended)' });
      expect(await box.isDisabled()).toBeFalse();
    });

    it('the embedded server: no 365-day note, the date and RSA with the SSL CA work', async () => {
      const { dialog } = await openGenerate(true, await validCa());
      expect(await dialog.getContentText()).not.toContain('365 days');
      await (await dialog.getHarness(MatCheckboxHarness)).check();
      expect(await dialog.getContentText()).not.toContain('completes the subject');
      await (await dialog.getHarness(MatCheckboxHarness)).uncheck();
      // Its self-signed certificates are self-issued: Controllers accept them by name.
      expect(await dialog.getContentText()).not.toContain('do not accept');
      const [, date] = await dialog.getAllHarnesses(MatInputHarness);
      expect(await date.isDisabled()).toBeFalse();
      await (
        await dialog.getHarness(MatRadioGroupHarness)
      ).checkRadioButton({ label: 'RSA 4096 bits' });
      expect(await (await dialog.getHarness(MatCheckboxHarness)).isDisabled()).toBeFalse();
    });
  });
});
