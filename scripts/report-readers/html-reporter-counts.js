// Reads a Cucumber JSON report the way cucumber-html-reporter does and prints its count of
// scenarios by status, as JSON: {"passed": N, "failed": N, "notdefined": N, ...}.
//
//   NODE_PATH=NPM/node_modules node html-reporter-counts.js REPORT.json WORK_DIR
//
// The counts are the reporter's own (its `suite.scenarios`, computed by its status logic), read
// through a page template of one line instead of its bootstrap page.
'use strict';
const fs = require('fs');
const path = require('path');
const reporter = require('cucumber-html-reporter');

const [jsonFile, work] = process.argv.slice(2);
if (!jsonFile || !work) {
  console.error('usage: html-reporter-counts.js REPORT.json WORK_DIR');
  process.exit(2);
}
const templates = path.join(work, 'templates');
fs.mkdirSync(templates, { recursive: true });
fs.writeFileSync(path.join(templates, 'index.html'), '<%= JSON.stringify(suite.scenarios) %>');
const output = path.join(work, 'counts.json');
reporter.generate({
  theme: 'bootstrap',
  jsonFile,
  output,
  templateDir: templates,
  reportSuiteAsScenarios: true,
  launchReport: false,
  noInlineScreenshots: true,
});
process.stdout.write(fs.readFileSync(output, 'utf-8') + '\n');
