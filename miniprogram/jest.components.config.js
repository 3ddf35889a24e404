/**
 * Component tests: Taro pages rendered with @testing-library/react in jsdom.
 * Run from the repo root: npx jest -c miniprogram/jest.components.config.js
 */
const path = require('node:path');

module.exports = {
  displayName: 'components',
  rootDir: '..',
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/components/**/*.test.tsx'],
  setupFilesAfterEnv: ['<rootDir>/tests/components/setup.ts'],
  moduleNameMapper: {
    '^@tarojs/components$': '<rootDir>/node_modules/@tarojs/components/lib/react',
    '^@tarojs/taro$': '<rootDir>/tests/components/__mocks__/taro.ts',
    '\\.(css|scss|sass|less)$': '<rootDir>/tests/components/__mocks__/style.ts',
    '^@nutui/nutui-react-taro/dist/esm/.*/style/css$': '<rootDir>/tests/components/__mocks__/style.ts',
    '^@/(.*)$': '<rootDir>/miniprogram/src/$1',
  },
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      'babel-jest',
      {
        configFile: false,
        babelrc: false,
        presets: [
          ['@babel/preset-env', { targets: { node: 'current' } }],
          ['@babel/preset-react', { runtime: 'automatic' }],
          '@babel/preset-typescript',
        ],
      },
    ],
  },
  transformIgnorePatterns: [
    'node_modules/(?!(@tarojs|@stencil|@nutui|@qiun|swiper|ssr-window|dom7|tslib|classnames|react-transition-group|@react-spring|@use-gesture|lodash-es|.pnpm)/)',
  ],
  globals: {
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: true,
    ENABLE_SIZE_APIS: true,
    ENABLE_TEMPLATE_CONTENT: true,
    ENABLE_MUTATION_OBSERVER: true,
    ENABLE_CLONE_NODE: true,
    ENABLE_CONTAINS: true,
    DEPRECATED_ADAPTER_COMPONENT: false,
    __TARO_FRAMEWORK__: 'react',
  },
  testEnvironmentOptions: { customExportConditions: [''] },
  moduleDirectories: ['node_modules', path.join(__dirname, '..', 'node_modules')],
};
