/** Browser end-to-end tests: headless Chromium against `npm start` (see tests/e2e/global-setup.ts). */
module.exports = {
  displayName: 'e2e',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/tests/e2e/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/tests/e2e/setup.ts'],
  maxWorkers: 1,
  transform: require('./jest.transform'),
};
