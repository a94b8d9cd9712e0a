import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DialogRequest, RequestError, type DialogError } from './dialog-request';
import { testProviders, useLanguage } from './testing';

@Component({
  imports: [RequestError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-request-error [error]="error()" />`,
})
class Host {
  readonly error = signal<DialogError | undefined>(undefined);
}

describe('RequestError', () => {
  async function render(error: DialogError) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.error.set(error);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('brings a refusal into view: it is drawn below the fold of a long dialog', async () => {
    const scrolled = spyOn(Element.prototype, 'scrollIntoView');
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    expect(scrolled).not.toHaveBeenCalled();
    fixture.componentInstance.error.set({ kind: 'invalid', jocCode: 'JOC-411', message: 'No.' });
    await fixture.whenStable();
    expect(scrolled).toHaveBeenCalledOnceWith({ block: 'nearest' });
  });

  it('shows a refusal with its code and the server text as is, in every language', async () => {
    const { fixture, element } = await render({
      kind: 'invalid',
      jocCode: 'JOC-420',
      message: 'The key is already in use.',
    });
    expect(element.querySelector('strong')?.textContent).toBe('The server refused this (JOC-420)');
    await useLanguage('fr');
    fixture.detectChanges();
    expect(element.querySelector('strong')?.textContent).toBe('Le serveur a refusé (JOC-420)');
    expect(element.querySelector('p')?.textContent).toBe('The key is already in use.');
  });

  it("a refusal without the server's text is the console's own sentence, translated", async () => {
    const { fixture, element } = await render({
      kind: 'invalid',
      jocCode: 'HTTP 420',
      code: 'errors.refused',
      message: 'The server refused the request.',
    });
    expect(element.querySelector('p')?.textContent).toBe('The server refused the request.');
    await useLanguage('de');
    fixture.detectChanges();
    expect(element.querySelector('strong')?.textContent).toBe(
      'Der Server hat dies abgelehnt (HTTP 420)',
    );
    expect(element.querySelector('p')?.textContent).toBe('Der Server hat die Anfrage abgelehnt.');
  });

  it('no connection: says the change may have been made, and to look before trying again', async () => {
    const { element } = await render({
      kind: 'network',
      code: 'errors.network',
      message: 'The server cannot be reached: check the network connection and try again.',
    });
    expect(element.querySelector('strong')?.textContent).toBe('No connection');
    expect(element.querySelector('p.explain')?.textContent).toBe(
      'The change may have been made before this went wrong: before you try again, close this dialog to see what is stored now.',
    );
  });

  it('a gateway timeout (the proxy gave up waiting for JOC): the same hint', async () => {
    const { element } = await render({
      kind: 'server',
      message: 'JOC Cockpit at https://joc did not answer in time (UND_ERR_HEADERS_TIMEOUT).',
    });
    expect(element.querySelector('p.explain')?.textContent).toContain(
      'The change may have been made before this went wrong',
    );
  });

  it('translates an approval refusal, its explanation and the approvers label', async () => {
    const { fixture, element } = await render({
      kind: 'approval-required',
      message: 'Approval required',
      approvers: [{ accountName: 'anna', firstName: 'Anna', lastName: 'Berg' }],
    });
    expect(element.textContent).toContain('four-eyes principle');
    await useLanguage('de');
    fixture.detectChanges();
    expect(element.querySelector('strong')?.textContent).toBe(
      'Autorisierung erforderlich: Die Änderung wurde nicht vorgenommen',
    );
    expect(element.textContent).toContain('Vier-Augen-Prinzip');
    expect(element.querySelector('ul')?.getAttribute('aria-label')).toBe('Autorisieren können');
    expect(element.querySelector('li')?.textContent).toBe('Anna Berg (anna)');
  });

  it('a failure found in the browser keeps its code, so it is translated when shown', () => {
    const request = new DialogRequest({ disableClose: false });
    request.fail({ code: 'keys.request.network', message: 'No connection' });
    expect(request.error()).toEqual(
      jasmine.objectContaining({
        kind: 'invalid',
        jocCode: 'browser',
        message: 'No connection',
        reason: { code: 'keys.request.network', message: 'No connection' },
      }),
    );
  });

  it('shows a coded browser failure in the language of the moment', async () => {
    const request = new DialogRequest({ disableClose: false });
    request.fail({ code: 'keys.request.notFound', message: 'Not available' });
    const { fixture, element } = await render(request.error()!);
    expect(element.querySelector('strong')?.textContent).toBe('Cannot continue');
    expect(element.querySelector('p')?.textContent).toBe('Not available');
    await useLanguage('es');
    fixture.detectChanges();
    expect(element.querySelector('strong')?.textContent).toBe('No se puede continuar');
    expect(element.querySelector('p')?.textContent).toBe('No disponible');
  });
});
