#!/usr/bin/env node
// `npm test`: everything, in the order that lets each step use the previous one's output.
//   typecheck → lint → build weapp + H5 → jest (node, components, weapp) → browser end-to-end
// Prints a closing line "tests: N passed, M failed" summed over all jest projects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipE2e = process.argv.includes('--no-e2e');

function step(name, cmd, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  console.log(`  ${res.status === 0 ? '✓' : '✗'} ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return res.status === 0;
}

const failures = [];
let passed = 0;
let failed = 0;
const run = (name, cmd, args) => step(name, cmd, args) || (failures.push(name), false);

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);
const builtWeapp = run('build weapp', 'npm', ['run', '--silent', 'build:weapp']);
const builtH5 = skipE2e || run('build h5', 'npm', ['run', '--silent', 'build:h5']);

const projects = [
  'node',
  'components',
  ...(builtWeapp ? ['weapp'] : []),
  ...(!skipE2e && builtH5 ? ['e2e'] : []),
];
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tx-jest-')), 'report.json');
const args = ['jest', '--ci', '--json', `--outputFile=${report}`, '--selectProjects', ...projects];
run(`jest (${projects.join(', ')})`, 'npx', args);
if (fs.existsSync(report)) {
  const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
}

console.log(failures.length ? `\nFailed steps: ${failures.join(', ')}` : '\nAll steps passed.');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
