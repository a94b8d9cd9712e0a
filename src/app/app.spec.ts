import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { App } from './app';

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
});
