/** How many answers each pod gave, in order of first appearance. */
export function countPods(pods: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const pod of pods) counts.set(pod, (counts.get(pod) ?? 0) + 1);
  return [...counts];
}

/** `jordy-a ×3, jordy-b ×1` */
export function podTally(pods: readonly string[]): string {
  return countPods(pods)
    .map(([pod, n]) => `${pod} ×${n}`)
    .join(', ');
}
