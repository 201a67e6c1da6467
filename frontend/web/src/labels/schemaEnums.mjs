// Reads the enums of the checked-in schema.graphql (for enums.test.ts). Plain JS run by
// Vitest under Node, so the app's tsconfig needs no Node types.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** /work/main/schema.graphql, relative to this file (frontend/web/src/labels/). */
export const SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../schema.graphql');

/** Every `enum X { ... }` of the SDL text as { name, values }, in schema order. */
export function parseEnums(sdl) {
  // Drop descriptions ("""…""" blocks and "…" strings) and comments first: they may
  // contain braces or words that look like values.
  const text = sdl
    .replace(/"""[\s\S]*?"""/g, '')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '')
    .replace(/#[^\n]*/g, '');
  const enums = [];
  for (const match of text.matchAll(/\benum\s+([_A-Za-z][_0-9A-Za-z]*)[^{]*\{([^}]*)\}/g)) {
    const values = [...match[2].matchAll(/([_A-Za-z][_0-9A-Za-z]*)(?:\s*@[_A-Za-z][_0-9A-Za-z]*(?:\([^)]*\))?)*/g)].map(
      (m) => m[1],
    );
    enums.push({ name: match[1], values });
  }
  return enums;
}

export function schemaEnums() {
  return parseEnums(readFileSync(SCHEMA_PATH, 'utf8'));
}
