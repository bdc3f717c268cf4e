import { Writable } from 'node:stream';
import type { Lang } from '../../src/core/i18n.js';
import { Output } from '../../src/ui/output.js';

/** A writable that keeps what was written, for reading an Output's text in tests. */
export class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export function captureOutput(lang: Lang = 'en', color = false): { out: Output; stdout: Sink; stderr: Sink } {
  const stdout = new Sink();
  const stderr = new Sink();
  return { out: new Output(lang, stdout, stderr, color), stdout, stderr };
}
