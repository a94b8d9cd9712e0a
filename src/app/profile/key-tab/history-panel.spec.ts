import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import type { AuditLog, AuditLogItem } from '../../../contract';
import { HistoryPanel } from './history-panel';
import { testProviders, until, useLanguage } from './testing';
import { Session } from '../../core/session/session';

const entry = (id: number, over: Partial<AuditLogItem> = {}): AuditLogItem => ({
  id,
  account: 'root',
  request: './profile/key/generate',
  created: new Date(Date.UTC(2026, 10, 1, 8, id)).toISOString(),
  category: 'CERTIFICATES',
  ...over,
});

describe('HistoryPanel', () => {
  async function render(level: 'LOW' | 'MEDIUM' = 'LOW', owner = 'root') {
    TestBed.configureTestingModule({ imports: [HistoryPanel], providers: testProviders() });
    const fixture = TestBed.createComponent(HistoryPanel);
    fixture.componentRef.setInput('kind', 'key');
    fixture.componentRef.setInput('owner', owner);
    fixture.componentRef.setInput('level', level);
    const http = TestBed.inject(HttpTestingController);
    const element = fixture.nativeElement as HTMLElement;
    const answer = async (respond: (call: ReturnType<typeof http.expectOne>) => void) => {
      let body: unknown;
      await until(() => {
        fixture.detectChanges();
        const calls = http.match('/joc/api/audit_log');
        for (const call of calls) {
          body = call.request.body;
          respond(call);
        }
        return calls.length > 0;
      }, 'the /audit_log call');
      await fixture.whenStable();
      fixture.detectChanges();
      return body;
    };
    return { fixture, element, answer };
  }

  it('asks for the CERTIFICATES entries and shows them newest first with a safe ticket link', async () => {
    const { element, answer } = await render();
    const log: AuditLog = {
      deliveryDate: new Date().toISOString(),
      auditLog: [
        entry(1, { comment: 'Key rotation', timeSpent: 10 }),
        entry(2, {
          request: './profile/key/delete',
          account: 'admin2',
          ticketLink: 'https://tickets.example/7',
        }),
      ],
    };
    const body = await answer((call) => call.flush(log));
    expect(body).toEqual({ categories: ['CERTIFICATES'], limit: 1000 });
    const rows = [...element.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');
    expect(rows.length).toBe(2);
    expect(rows[0]).toContain('admin2');
    expect(rows[0]).toContain('Deleted');
    expect(rows[1]).toContain('Key rotation');
    expect(rows[1]).toContain('10 min');
    const link = element.querySelector('tbody a') as HTMLAnchorElement;
    expect(link.href).toBe('https://tickets.example/7');
    expect(link.rel).toBe('noopener noreferrer');
    // A real JOC Cockpit (no embeddedServer in its properties) records attempts that it refused.
    expect(element.textContent).toContain('an entry alone does not prove that the key was changed');
  });

  it('the embedded server records only changes made: no such note', async () => {
    const { element, answer } = await render();
    TestBed.inject(Session).properties.set({
      securityLevel: 'LOW',
      defaultProfileAccount: 'root',
      forceCommentsForAuditLog: false,
      comments: [],
      embeddedServer: true,
    });
    await answer((call) =>
      call.flush({ deliveryDate: new Date().toISOString(), auditLog: [entry(1, {})] }),
    );
    expect(element.querySelectorAll('tbody tr').length).toBe(1);
    expect(element.textContent).not.toContain('does not prove');
  });

  it("at MEDIUM asks only for the person's own entries", async () => {
    const { answer } = await render('MEDIUM', 'alice');
    const body = await answer((call) => call.flush({ deliveryDate: '', auditLog: [] }));
    expect(body).toEqual({ categories: ['CERTIFICATES'], limit: 1000, account: 'alice' });
  });

  it('pages ten at a time', async () => {
    const { element, fixture, answer } = await render();
    await answer((call) =>
      call.flush({
        deliveryDate: '',
        auditLog: Array.from({ length: 23 }, (_, i) => entry(i + 1)),
      }),
    );
    expect(element.querySelectorAll('tbody tr').length).toBe(10);
    expect(element.textContent).toContain('1–10 of 23 changes');
    const older = [...element.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Older'),
    )!;
    older.focus();
    older.click();
    older.click();
    fixture.detectChanges();
    expect(element.textContent).toContain('21–23 of 23 changes');
    expect(element.querySelectorAll('tbody tr').length).toBe(3);
    // On the last page Older is disabled for assistive technology and for clicks, and it keeps
    // the focus the person's key presses gave it (a disabled button would drop it to the page).
    expect(older.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).withContext('the focused element').toBe(older);
    older.click();
    fixture.detectChanges();
    expect(element.textContent).toContain('21–23 of 23 changes');
  });

  it('keeps the focus on Refresh while the history is read again', async () => {
    const { element, fixture, answer } = await render();
    await answer((call) => call.flush({ deliveryDate: '', auditLog: [entry(1)] }));
    const refresh = [...element.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Refresh'),
    )!;
    refresh.focus();
    refresh.click();
    fixture.detectChanges();
    expect(refresh.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).withContext('the focused element while reading').toBe(refresh);
    await answer((call) => call.flush({ deliveryDate: '', auditLog: [entry(1), entry(2)] }));
    expect(document.activeElement).withContext('the focused element after reading').toBe(refresh);
  });

  it('says so when the account may not read the audit log', async () => {
    const { element, answer } = await render();
    await answer((call) =>
      call.flush(
        { message: 'Access denied', isAuthenticated: true, isPermitted: false },
        { status: 403, statusText: 'Forbidden' },
      ),
    );
    expect(element.textContent).toContain('may not view the audit log');
    expect(element.querySelector('table')).toBeNull();
  });

  it('says when nothing is recorded', async () => {
    const { element, answer } = await render();
    await answer((call) => call.flush({ deliveryDate: '', auditLog: [] }));
    expect(element.textContent).toContain('No changes are recorded for this key.');
  });

  it('describes each change when it renders: one import of two files, time spent in words', async () => {
    const { element, answer } = await render();
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, seconds)).toISOString();
    await answer((call) =>
      call.flush({
        deliveryDate: '',
        auditLog: [
          entry(1, { request: './profile/key/import', created: at(0), timeSpent: 90 }),
          entry(2, { request: './profile/key/import', created: at(1), timeSpent: 90 }),
          entry(3, { request: './profile/key/store', created: at(50), timeSpent: 60 }),
        ],
      }),
    );
    const rows = [...element.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('Updated (key and certificate)');
    expect(rows[0]).toContain('1 h spent');
    expect(rows[1]).toContain('Imported from 2 files');
    expect(rows[1]).toContain('1 h 30 min spent');
  });

  it('follows a switch to German at once: headings, changes, plurals, durations, pager', async () => {
    const { element, fixture, answer } = await render();
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, seconds)).toISOString();
    await answer((call) =>
      call.flush({
        deliveryDate: '',
        auditLog: [
          ...Array.from({ length: 21 }, (_, i) => entry(i + 10)),
          entry(1, { request: './profile/key/import', created: at(0), timeSpent: 90 }),
          entry(2, { request: './profile/key/import', created: at(1), timeSpent: 90 }),
          entry(3, { request: './profile/key/delete', created: at(50), ticketLink: 'JIRA-7' }),
        ],
      }),
    );
    expect(element.textContent).toContain('1–10 of 23 changes');
    await useLanguage('de');
    fixture.detectChanges();
    const text = () => element.textContent ?? '';
    expect(element.querySelector('h3')?.textContent).toBe('Historie');
    expect([...element.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Zeitpunkt',
      'Konto',
      'Änderung',
      'Begründung, Zeitaufwand, Ticket',
      'Zertifikat danach',
    ]);
    expect(text()).toContain('1–10 von 23 Änderungen');
    expect(text()).toContain('Erzeugt');
    expect(element.querySelector('table')?.getAttribute('aria-label')).toBe(
      'Änderungen am Schlüssel, neueste zuerst',
    );
    const rows = [...element.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('Gelöscht');
    expect(rows[0]).toContain('Ticket JIRA-7');
    expect(rows[1]).toContain('Aus 2 Dateien importiert');
    expect(rows[1]).toContain('Zeitaufwand: 1 Std. 30 Min.');
    const older = [...element.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Ältere'),
    )!;
    older.click();
    older.click();
    fixture.detectChanges();
    expect(text()).toContain('21–23 von 23 Änderungen');
    expect(text()).not.toMatch(/Imported|spent|Older|Newer|History/);
  });

  it('says why the history is missing in the language of the moment', async () => {
    const { element, fixture, answer } = await render();
    await answer((call) =>
      call.flush(
        { message: 'Access denied', isAuthenticated: true, isPermitted: false },
        { status: 403, statusText: 'Forbidden' },
      ),
    );
    await useLanguage('ja');
    fixture.detectChanges();
    expect(element.querySelector('[role=status]')?.textContent).toContain(
      'この鍵の履歴を表示できません',
    );
  });
});
