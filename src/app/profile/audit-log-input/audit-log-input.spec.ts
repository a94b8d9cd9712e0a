import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder } from '@angular/forms';
import { TestKey } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatAutocompleteHarness } from '@angular/material/autocomplete/testing';
import { FORCED_AUDIT, testProviders, until, useLanguage } from '../key-tab/testing';
import { auditLogForm } from './audit-log-form';
import { AuditLogInput } from './audit-log-input';

@Component({
  imports: [AuditLogInput],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-audit-log-input [group]="group" [settings]="settings" />`,
})
class Host {
  readonly settings = FORCED_AUDIT;
  readonly group = auditLogForm(inject(NonNullableFormBuilder), FORCED_AUDIT);
}

describe('AuditLogInput', () => {
  async function render() {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('names its fields and says what is wrong, in English', async () => {
    const { fixture, element } = await render();
    expect(element.textContent).toContain('Required: pick a reason or write your own.');
    fixture.componentInstance.group.controls.timeSpent.setValue('1.5');
    fixture.componentInstance.group.markAllAsTouched();
    fixture.detectChanges();
    expect(element.querySelector('legend')?.textContent).toBe('Audit log');
    expect(element.textContent).toContain('A reason is required for the audit log.');
    expect(element.textContent).toContain('Whole minutes, 0 or more.');
  });

  it('drops the hint once a reason is typed or picked, and brings it back when cleared', async () => {
    const { fixture, element } = await render();
    const reason =
      await TestbedHarnessEnvironment.loader(fixture).getHarness(MatAutocompleteHarness);
    await reason.enterText('Moved to the new data centre');
    expect(element.textContent).not.toContain('Required: pick a reason');
    await reason.clear();
    expect(element.textContent).toContain('Required: pick a reason or write your own.');
    await reason.enterText('rot');
    await reason.selectOption({ text: 'Key rotation' });
    await fixture.whenStable();
    expect(fixture.componentInstance.group.controls.comment.value).toBe('Key rotation');
    expect(element.textContent).not.toContain('Required: pick a reason');
  });

  it('offers only the predefined reasons that contain what was typed', async () => {
    const { fixture } = await render();
    const reason =
      await TestbedHarnessEnvironment.loader(fixture).getHarness(MatAutocompleteHarness);
    const texts = async () => Promise.all((await reason.getOptions()).map((o) => o.getText()));
    await (await reason.host()).click();
    await until(() => reason.isOpen(), 'the list on a click');
    expect(await texts()).toEqual(['Certificate renewal', 'Key rotation']);
    await reason.enterText('key');
    expect(await texts()).toEqual(['Key rotation']);
    await reason.clear();
    await reason.enterText('Moved to the new data centre');
    // No option left: Material draws no panel over the fields below.
    expect(await texts()).toEqual([]);
  });

  it('opens its list when asked, not when the focus only passes through', async () => {
    const { fixture } = await render();
    const reason =
      await TestbedHarnessEnvironment.loader(fixture).getHarness(MatAutocompleteHarness);
    const input = await reason.host();
    await reason.focus();
    expect(await reason.isOpen())
      .withContext('on focus')
      .toBeFalse();
    await input.sendKeys(TestKey.DOWN_ARROW);
    // The panel follows its options after a timer of Material's, which no harness waits for.
    await until(() => reason.isOpen(), 'the list on the Down arrow');
    expect((await reason.getOptions()).length).toBe(2);
    await input.sendKeys(TestKey.ESCAPE);
    await reason.blur();
    await reason.focus();
    expect(await reason.isOpen())
      .withContext('on focus again')
      .toBeFalse();
  });

  it('follows a switch to German at once, the error shown stays and is translated', async () => {
    const { fixture, element } = await render();
    fixture.componentInstance.group.controls.comment.setValue('a <b>');
    fixture.componentInstance.group.markAllAsTouched();
    fixture.detectChanges();
    expect(element.textContent).toContain('The reason may not contain < or >.');
    await useLanguage('de');
    fixture.detectChanges();
    expect(element.querySelector('legend')?.textContent).toBe('Prüfprotokoll');
    const labels = [...element.querySelectorAll('mat-label')].map((l) => l.textContent?.trim());
    expect(labels).toEqual(['Begründung', 'Zeitaufwand', 'Ticket-Link']);
    expect(element.textContent).toContain('Die Begründung darf weder < noch > enthalten.');
    expect(element.textContent).toContain('Min.');
    expect(fixture.componentInstance.group.controls.comment.value).toBe('a <b>');
    expect(element.textContent).not.toMatch(/Reason|reason|Time spent|Ticket link/);
  });
});
