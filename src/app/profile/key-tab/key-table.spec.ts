import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { KeyTable } from './key-table';
import { testProviders } from './testing';

@Component({
  imports: [KeyTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-key-table />`,
})
class Host {}

describe('KeyTable', () => {
  it('names the actions column for screen readers without showing the word, from the first paint', async () => {
    // No dialog has been opened: nothing from the CDK's overlay or a11y styles is on the page.
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const headers = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('thead th'),
    );
    const actions = headers[headers.length - 1];
    expect(actions.textContent?.trim()).toBe('Actions');
    const word = actions.querySelector('span')!.getBoundingClientRect();
    expect(word.width).withContext('"Actions" drawn in the header').toBeLessThanOrEqual(1);
    expect(word.height).toBeLessThanOrEqual(1);
  });
});
