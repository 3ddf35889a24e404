/** The TypeScript transform shared by the Node-side jest projects (no Taro babel config). */
module.exports = {
  '^.+\\.tsx?$': [
    'babel-jest',
    {
      babelrc: false,
      configFile: false,
      presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'],
    },
  ],
};
