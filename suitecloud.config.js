// SuiteCloud CLI project configuration: the SDF project lives in src/.
module.exports = {
  defaultProjectFolder: 'src',
  commands: {},
};
