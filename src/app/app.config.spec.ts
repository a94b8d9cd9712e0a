import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { appConfig } from './app.config';
import { JocApi } from './core/api/joc-api';
import { provideI18nTesting } from './core/i18n/testing';

describe('appConfig', () => {
  afterEach(() => {
    document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('reads no cookie for a call: the session is X-Access-Token alone, no XSRF header', async () => {
    document.cookie = 'XSRF-TOKEN=from-a-cookie; path=/';
    TestBed.configureTestingModule({
      providers: [...appConfig.providers, ...provideI18nTesting(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const answer = TestBed.inject(JocApi).properties();
    await new Promise((resolve) => setTimeout(resolve));
    const request = http.expectOne('/joc/api/joc/properties');
    expect(request.request.headers.has('X-XSRF-TOKEN')).toBeFalse();
    request.flush({ securityLevel: 'LOW' });
    await answer;
    http.verify();
  });
});
