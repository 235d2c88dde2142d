/** Masks all but the last 2 characters: logs never carry a full processing number (brief; privacy). */
export function maskNumber(value: string): string {
  if (value.length <= 2) return '*'.repeat(value.length);
  return '*'.repeat(value.length - 2) + value.slice(-2);
}
