/**
 * A deterministic source of integers for generated test inputs (a linear congruential generator):
 * the same seed gives the same inputs on every run. `next(n)` is an integer in [0, n).
 */
export function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}
