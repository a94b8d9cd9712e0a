// Karma for the Angular unit tests: Debian's Chromium, headless, as root (no sandbox).
// CHROME_BIN defaults to /usr/bin/chromium; .ci/run installs it when missing.
const { CHROMIUM, CHROMIUM_ARGS } = require('./scripts/chromium');

process.env.CHROME_BIN = CHROMIUM;

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [
      require('karma-jasmine'),
      require('karma-chrome-launcher'),
      require('karma-jasmine-html-reporter'),
      require('karma-coverage'),
    ],
    client: { jasmine: { random: true }, clearContext: false },
    reporters: ['progress'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: CHROMIUM_ARGS,
      },
    },
    browserNoActivityTimeout: 120000,
    captureTimeout: 120000,
    singleRun: true,
    restartOnFileChange: false,
  });
};
