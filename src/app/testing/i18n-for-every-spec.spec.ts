import { TestBed } from '@angular/core/testing';
import { provideI18nTesting } from '../core/i18n/testing';

// A top-level beforeEach runs before every spec of the suite: each reads the console's English
// texts, as a person does, without naming the provider itself (Karma has no providers file). A
// spec that needs another language switches itself.
beforeEach(() => TestBed.configureTestingModule({ providers: provideI18nTesting() }));
