/** All test projects; select one with `jest --selectProjects node|components|weapp`. */
module.exports = {
  projects: [
    '<rootDir>/jest.node.config.js',
    '<rootDir>/miniprogram/jest.components.config.js',
    '<rootDir>/miniprogram/jest.weapp.config.js',
    '<rootDir>/jest.e2e.config.js',
  ],
};
