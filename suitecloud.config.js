// SuiteCloud CLI project configuration. The SDF project folder comes from the project card
// (suitecloud.project.json), which also holds the bundle's name, version and ids.
const card = require('./suitecloud.project.json');

module.exports = {
  defaultProjectFolder: card.projectFolder,
  commands: {},
};
