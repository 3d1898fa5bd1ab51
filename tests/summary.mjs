/** Prints one closing line over every suite: vitest's JSON report plus the browser runner's counts. */
import { readFileSync } from 'node:fs';

const read = (path) => JSON.parse(readFileSync(new URL(`../test-artifacts/${path}`, import.meta.url), 'utf8'));
const unit = read('vitest.json');
const browser = read('browser.json');
const passed = unit.numPassedTests + browser.passed;
const failed = unit.numFailedTests + browser.failed;
console.log(`unit+engine ${unit.numPassedTests}/${unit.numTotalTests}, browser ${browser.passed}/${browser.passed + browser.failed}`);
console.log(`all: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
