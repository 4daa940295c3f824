/** "1 port", "2 ports": English plurals for the CLI's counts. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
