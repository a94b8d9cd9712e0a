import { provideI18nTesting } from './app/core/i18n/testing';

/** Providers every Karma spec gets (angular.json `providersFile`). */
export default [...provideI18nTesting()];
