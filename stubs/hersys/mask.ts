/** The longest masked number: what is sent may be any length, what is kept and logged is not. */
export const MASKED_MAX = 11;

/**
 * Masks all but the last 2 characters: logs never carry a full processing number (brief; privacy).
 * A value longer than 10 characters shows as "…" + 8 stars + its last 2 (MASKED_MAX characters).
 */
export function maskNumber(value: string): string {
  if (value.length <= 2) return '*'.repeat(value.length);
  if (value.length <= MASKED_MAX - 1) return '*'.repeat(value.length - 2) + value.slice(-2);
  return `…${'*'.repeat(MASKED_MAX - 3)}${value.slice(-2)}`;
}

/** A header value as kept in the call log: at most `max` characters. */
export function cut(value: string, max = 100): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
