import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { FORCED_AUDIT, NO_AUDIT, testProviders, until, useLanguage } from '../../key-tab/testing';

@Component({ template: '' })
class Host {}

describe('DeleteKeyDialog', () => {
  async function open(audit = NO_AUDIT) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const result = TestBed.inject(KeyDialogs).delete({
      subject: 'CN=root,OU=JOC,O=JS7',
      validUntil: new Date('2027-11-27T12:00:00Z'),
      audit,
    });
    const dialog = await loader.getHarness(MatDialogHarness);
    return { fixture, loader, dialog, result, http: TestBed.inject(HttpTestingController) };
  }

  it('is an alert dialog naming the certificate and the consequence, with focus on Cancel', async () => {
    const { dialog, fixture } = await open();
    expect(await dialog.getRole()).toBe('alertdialog');
    expect(await dialog.getTitleText()).toBe('Delete the signing key?');
    // A screen reader reads what the dialog warns of as it opens: its description.
    const described = (await (await dialog.host()).getAttribute('aria-describedby')) ?? '';
    const description = described
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent?.trim())
      .join(' ');
    expect(description).toContain('CN=root,OU=JOC,O=JS7');
    expect(description).toContain('fail until a new key is stored');
    const text = await dialog.getContentText();
    expect(text).toContain('CN=root,OU=JOC,O=JS7');
    expect(text).toContain('valid until 2027-11-27');
    expect(text).toContain(
      'Deployments of Workflows and Job Resources fail until a new key is stored.',
    );
    await fixture.whenStable();
    await until(() => document.activeElement?.textContent?.trim() === 'Cancel', 'focus on Cancel');
  });

  it('follows a language switch while open: title, consequence, buttons', async () => {
    const { dialog, fixture } = await open();
    await useLanguage('de');
    await fixture.whenStable();
    expect(await dialog.getTitleText()).toBe('Signaturschlüssel löschen?');
    const text = await dialog.getContentText();
    expect(text).toContain(
      'Dies löscht den privaten Schlüssel und das Zertifikat CN=root,OU=JOC,O=JS7, gültig bis 2027-11-27.',
    );
    expect(text).toContain('Das Ausrollen von Arbeitsabläufen und Job-Ressourcen schlägt fehl');
    expect(await dialog.getHarness(MatButtonHarness.with({ text: 'Abbrechen' }))).toBeTruthy();
    await useLanguage('ja');
    await fixture.whenStable();
    expect(await dialog.getTitleText()).toBe('署名鍵を削除しますか?');
    expect(await dialog.getContentText()).toContain(
      '新しい鍵が保存されるまで、ワークフローとジョブリソースの配置は失敗します。',
    );
    expect(await dialog.getHarness(MatButtonHarness.with({ text: '削除' }))).toBeTruthy();
  });

  it('Cancel closes with undefined and sends nothing', async () => {
    const { dialog, result, http } = await open();
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).click();
    expect(await result).toBeUndefined();
    http.verify();
  });

  it('deletes, blocks closing while the request runs, and closes with the result', async () => {
    const { dialog, result, http } = await open();
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Delete' }))).click();
    const req = http.expectOne('/joc/api/profile/key/delete');
    expect(req.request.body).toEqual({});
    const cancel = await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }));
    expect(await cancel.isDisabled()).toBeTrue();
    await dialog.close(); // Escape: refused while sending
    expect(await dialog.getTitleText()).toBe('Delete the signing key?');
    req.flush({ ok: true, deliveryDate: '2026-01-01T00:00:00Z' });
    expect(await result).toEqual({ deleted: true });
  });

  it('shows the server error inside the dialog', async () => {
    const { dialog, http, fixture } = await open();
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Delete' }))).click();
    http
      .expectOne('/joc/api/profile/key/delete')
      .flush(
        { error: { code: 'JOC-403', message: 'Your account lacks the permission manage.' } },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    await until(
      async () =>
        (await dialog.getContentText()).includes('Your account lacks the permission manage.'),
      'error',
    );
    expect(
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).isDisabled(),
    ).toBeFalse();
  });

  it('requires a reason when comments are forced, and sends the audit block', async () => {
    const { dialog, http, result } = await open(FORCED_AUDIT);
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Delete' }))).click();
    http.expectNone('/joc/api/profile/key/delete');
    expect(await dialog.getContentText()).toContain('A reason is required for the audit log.');
    const [reason, minutes, ticket] = await dialog.getAllHarnesses(MatInputHarness);
    await reason.setValue('Key rotation');
    await minutes.setValue('15');
    await ticket.setValue('https://tickets/42');
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Delete' }))).click();
    const req = http.expectOne('/joc/api/profile/key/delete');
    expect(req.request.body).toEqual({
      auditLog: { comment: 'Key rotation', timeSpent: 15, ticketLink: 'https://tickets/42' },
    });
    req.flush({ ok: true });
    expect(await result).toEqual({ deleted: true });
  });
});
