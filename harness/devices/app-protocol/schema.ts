/**
 * JSON Schemas of every app-protocol message, generated from the zod schemas the code itself checks
 * with (messages.ts), so that the published file and the checks cannot drift apart (schema.test.ts).
 * Regenerate: `node --import tsx harness/devices/app-protocol/schema.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { APP_METHODS, APP_NOTIFICATIONS, FRAMEWORK_METHODS, PROTOCOL_VERSION } from './messages.js';

export const SCHEMA_FILE = fileURLToPath(new URL('./schema.json', import.meta.url));

// What a sender must write: optional members with defaults are optional (`io: 'input'`).
const json = (s: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  return rest;
};
const methods = (table: Record<string, { params: z.ZodType; result: z.ZodType }>) =>
  Object.fromEntries(
    Object.entries(table).map(([m, t]) => [m, { params: json(t.params), result: json(t.result) }]),
  );

export function appProtocolSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `ichiren app protocol ${PROTOCOL_VERSION} (docs/app-protocol.md)`,
    protocolVersion: PROTOCOL_VERSION,
    /** ichiren → app requests. */
    appMethods: methods(APP_METHODS),
    /** app → ichiren (the EN framework) requests. */
    frameworkMethods: methods(FRAMEWORK_METHODS),
    /** app → ichiren notifications (no answer). */
    notifications: Object.fromEntries(Object.entries(APP_NOTIFICATIONS).map(([m, s]) => [m, json(s)])),
  };
}

export const schemaText = (): string => `${JSON.stringify(appProtocolSchema(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  writeFileSync(SCHEMA_FILE, schemaText());
