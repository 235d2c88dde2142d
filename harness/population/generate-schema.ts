/** Writes population.schema.json from the zod schema: `npx tsx harness/population/generate-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { populationJsonSchema } from './schema.js';

export const POPULATION_SCHEMA_FILE = fileURLToPath(new URL('./population.schema.json', import.meta.url));

export const populationSchemaText = (): string => `${JSON.stringify(populationJsonSchema(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(POPULATION_SCHEMA_FILE, populationSchemaText());
  console.log(`wrote ${POPULATION_SCHEMA_FILE}`);
}
