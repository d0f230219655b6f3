// Reads a Cucumber JSON report the way multiple-cucumber-html-reporter 4.3.0 does and prints its
// count of scenarios by status, as JSON: {"passed": N, "failed": N, "notDefined": N, ...}.
//
//   node multiple-reporter-counts.mjs NPM/node_modules REPORT.json WORK_DIR
//
// The counts are the reporter's own (`scenarios` of the enriched JSON it saves with
// saveCollectedJSON), from its generate(), the page written to WORK_DIR/report.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, report, work] = process.argv.slice(2);
if (!modules || !report || !work) {
  console.error('usage: multiple-reporter-counts.mjs NPM/node_modules REPORT.json WORK_DIR');
  process.exit(2);
}
const entry = join(modules, 'multiple-cucumber-html-reporter', 'dist', 'generate-report.js');
const reporter = await import(pathToFileURL(entry).href);
const jsonDir = join(work, 'json');
mkdirSync(jsonDir, { recursive: true });
copyFileSync(report, join(jsonDir, 'report.json'));
const reportPath = join(work, 'report');
await reporter.generate({ jsonDir, reportPath, saveCollectedJSON: true, disableLog: true });
const enriched = JSON.parse(readFileSync(join(reportPath, 'enriched-output.json'), 'utf-8'));
process.stdout.write(JSON.stringify(enriched.scenarios) + '\n');
