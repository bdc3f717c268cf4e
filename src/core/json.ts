/**
 * A tool's JSON output as an object of the shape its caller describes, or undefined when the text is not a JSON
 * object (a dry run, an old client, an error printed instead). The caller reads every field as optional.
 */
export function parseJsonObject<T extends object>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
