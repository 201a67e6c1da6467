#!/usr/bin/env node
// Regenerate the GraphQL types into a temporary directory and compare them with the
// checked-in src/gql/. Exit 1 (and name the files) when they differ: run `npm run codegen`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const committed = 'src/gql';
const tmp = mkdtempSync(join(tmpdir(), 'regsafe-codegen-'));

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)))
    .sort();
}

try {
  const run = spawnSync('npx', ['--no-install', 'graphql-codegen', '--config', 'codegen.ts'], {
    env: { ...process.env, CODEGEN_OUT: tmp },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) {
    console.error('codegen:check: graphql-codegen failed');
    process.exit(1);
  }
  const want = files(tmp);
  const have = files(committed);
  const differ = [...new Set([...want, ...have])].filter(
    (f) =>
      !want.includes(f) ||
      !have.includes(f) ||
      readFileSync(join(tmp, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'),
  );
  if (differ.length > 0) {
    console.error(
      `codegen:check: ${committed}/ is out of date with the schema or the operations:\n` +
        differ.map((f) => `  ${f}`).join('\n') +
        '\nRun `npm run codegen` in frontend/web and commit the result.',
    );
    process.exit(1);
  }
  console.log(`codegen:check: ${committed}/ is up to date (${want.length} files)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
