/** Jest project for everything that runs in Node: domain rules, engine conformance, handlers, server. */
module.exports = {
  displayName: 'node',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/{unit,integration,engine}/**/*.test.ts'],
  transform: require('./jest.transform'),
};
