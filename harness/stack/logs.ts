import type { LogLine } from './types.js';

export type LogSource = LogLine['source'];

/** Collects log lines of every component, one entry per line, tagged with its source (principle 15). */
export class LogBuffer {
  readonly #lines: LogLine[] = [];
  readonly #partial = new Map<string, string>();
  readonly #listeners = new Set<(line: LogLine) => void>();

  add(source: LogSource, line: string): void {
    const entry: LogLine = { source, at: new Date().toISOString(), line };
    this.#lines.push(entry);
    for (const listener of this.#listeners) listener(entry);
  }

  /** Feeds a chunk of a stream; complete lines are added, the rest waits for the next chunk. */
  write(source: LogSource, chunk: string | Buffer, stream = 'out'): void {
    const key = `${source}:${stream}`;
    const text = (this.#partial.get(key) ?? '') + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.#partial.set(key, parts.pop() ?? '');
    for (const part of parts) this.add(source, part);
  }

  /** Adds what a stream left without a final newline. */
  flush(): void {
    for (const [key, rest] of this.#partial) {
      if (rest) this.add(key.split(':')[0] as LogSource, rest);
    }
    this.#partial.clear();
  }

  onLine(listener: (line: LogLine) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  lines(): readonly LogLine[] {
    return [...this.#lines];
  }
}
