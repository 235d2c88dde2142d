/** Writes results.schema.json from the zod schema: `npx tsx harness/report/generate-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runResultJsonSchema } from './schema.js';

export const SCHEMA_FILE = fileURLToPath(new URL('./results.schema.json', import.meta.url));

export function schemaFileText(): string {
  return `${JSON.stringify(runResultJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
