/** Jest project for everything that runs in Node: domain rules, engine conformance, handlers, server. */
module.exports = {
  displayName: 'node',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/{unit,integration,engine}/**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
      },
    ],
  },
};
