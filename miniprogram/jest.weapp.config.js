/**
 * Loads the COMPILED weapp output (miniprogram/dist, from `npm run build:weapp`) into
 * miniprogram-simulate and drives pages like the WeChat runtime would.
 * Run from the repo root: npx jest -c miniprogram/jest.weapp.config.js
 */
module.exports = {
  displayName: 'weapp',
  rootDir: '..',
  testEnvironment: 'jsdom',
  // The page tests run the real cloud functions in-process: resolve packages (mingo, …) as Node
  // does, not through their browser builds.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  testMatch: ['<rootDir>/tests/weapp/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'babel-jest',
      {
        configFile: false,
        babelrc: false,
        presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
      },
    ],
  },
  // Never transform the compiled mini-program.
  transformIgnorePatterns: ['/node_modules/', '/miniprogram/dist/'],
};
