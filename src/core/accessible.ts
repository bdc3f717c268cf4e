/**
 * Accessible mode (ACCESSIBLE=1, or --accessible, which sets it for the command): output for a screen reader —
 * line prompts, plain task lines, no colour, no redraws, diagrams as text.
 */
export function accessibleEnv(env: NodeJS.ProcessEnv): boolean {
  const value = env.ACCESSIBLE;
  return value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
}
