import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { App } from './app';
import { PRELOADED_CATALOGS } from './core/i18n/i18n';
import { provideI18nTesting } from './core/i18n/testing';

@Component({ selector: 'app-first-screen', template: 'first screen' })
class FirstScreen {}

describe('App', () => {
  let bar: HTMLElement;
  beforeEach(() => {
    bar = document.createElement('div');
    bar.className = 'boot-progress';
    document.body.append(bar);
  });
  afterEach(() => bar.remove());

  it("keeps the page's loading bar until the first screen's navigation ends, then removes it", async () => {
    let release!: (value: boolean) => void;
    const guard = new Promise<boolean>((resolve) => (release = resolve));
    TestBed.configureTestingModule({
      providers: [provideRouter([{ path: '', component: FirstScreen, canMatch: [() => guard] }])],
    });
    const fixture = TestBed.createComponent(App);
    const navigated = TestBed.inject(Router).navigateByUrl('/');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The session and the language are not known yet: nothing to show but the bar.
    expect(document.body.contains(bar)).toBeTrue();
    release(true);
    expect(await navigated).toBeTrue();
    await fixture.whenStable();
    expect(document.body.contains(bar)).toBeFalse();
    expect(fixture.nativeElement.textContent).toContain('first screen');
  });

  it('removes the bar when the first navigation fails too (the console shows no blank page forever)', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          {
            path: '',
            loadComponent: () => Promise.reject(new Error('the chunk did not load')),
          },
        ]),
      ],
    });
    TestBed.createComponent(App);
    await TestBed.inject(Router)
      .navigateByUrl('/')
      .catch(() => undefined);
    expect(document.body.contains(bar)).toBeFalse();
  });

  it('a page whose code cannot be loaded: says so and offers a reload, instead of nothing', async () => {
    TestBed.configureTestingModule({
      providers: [
        ...provideI18nTesting(),
        provideRouter([
          {
            path: 'ssl',
            loadComponent: () =>
              Promise.reject(
                new TypeError('Failed to fetch dynamically imported module: /chunk-GONE.js'),
              ),
          },
        ]),
      ],
    });
    const fixture = TestBed.createComponent(App);
    await TestBed.inject(Router)
      .navigateByUrl('/ssl')
      .catch(() => undefined);
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Part of the console could not be loaded');
    expect(alert?.querySelector('button')?.textContent).toBe('Reload the page');
  });

  it('says so in English when the language itself could not be loaded (no catalog keys)', async () => {
    TestBed.configureTestingModule({
      providers: [
        { provide: PRELOADED_CATALOGS, useValue: {} },
        provideRouter([
          {
            path: '',
            loadComponent: () =>
              Promise.reject(
                new TypeError('Failed to fetch dynamically imported module: /chunk-EN.js'),
              ),
          },
        ]),
      ],
    });
    const fixture = TestBed.createComponent(App);
    await TestBed.inject(Router)
      .navigateByUrl('/')
      .catch(() => undefined);
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Part of the console could not be loaded');
    expect(alert?.textContent).not.toContain('shell.');
    expect(alert?.querySelector('button')?.textContent).toBe('Reload the page');
  });

  it('a dialog whose code cannot be loaded (a rejection nobody handles): the same notice', async () => {
    // The listener is called as the browser would: a real event would also fail the spec.
    const listen = spyOn(window, 'addEventListener').and.callThrough();
    TestBed.configureTestingModule({ providers: [provideRouter([]), ...provideI18nTesting()] });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const [, listener] = listen.calls.allArgs().find(([type]) => type === 'unhandledrejection')!;
    const reason = new TypeError('Failed to fetch dynamically imported module: /chunk-GONE.js');
    (listener as unknown as (e: { reason: unknown }) => void)({ reason });
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Part of the console could not be loaded');
  });
});
