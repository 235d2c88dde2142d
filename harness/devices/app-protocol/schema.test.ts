import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_METHODS, FRAMEWORK_METHODS } from './messages.js';
import { SCHEMA_FILE, schemaText } from './schema.js';

describe('schema.json', () => {
  it('is what the code generates from its own types (regenerate: node --import tsx harness/devices/app-protocol/schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('has params and result for every method of both directions', () => {
    const doc = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(Object.keys(doc.appMethods)).toEqual(Object.keys(APP_METHODS));
    expect(Object.keys(doc.frameworkMethods)).toEqual(Object.keys(FRAMEWORK_METHODS));
    expect(
      doc.frameworkMethods['en/provideDiagnosisKeys'].result.oneOf ??
        doc.frameworkMethods['en/provideDiagnosisKeys'].result.anyOf,
    ).toHaveLength(4);
  });
});
