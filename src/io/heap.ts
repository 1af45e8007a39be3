/**
 * Inputs from this size up keep V8's young generation at its starting size (see below); smaller
 * ones make it grow little, and skip loading node:v8 (~5 ms).
 */
export const LARGE_INPUT_BYTES = 1 << 20;

let kept = false;

/**
 * Called with an input just read, before it is parsed (a batch plan, by readBatchPlanFile): from a
 * large one on, V8's young generation stays at its starting size for the rest of the run instead
 * of growing to two 16 MiB semi-spaces. Growing touches ~32 MiB of fresh pages, and on the VMs
 * opsgate is measured on a page fault costs ~15 µs (a C loop touching pages: 13–19 µs each), a
 * fixed ~100 ms; a parsed plan's objects survive every young collection anyway, so the room buys
 * little. Measured (2026-11-30): a 10,000-item validate-batch-plan 710 → 654 ms; at 100,000
 * items about the same time and 281 → 261 MB peak (docs/performance.md).
 *
 * V8 reads `--semi-space-growth-factor` each time it would grow the young generation, so setting
 * it now takes effect; it is set after the command's bundle was loaded, whose code cache records
 * the flags it was built with.
 */
export function keepYoungGenerationSmall(inputBytes: number): void {
  if (kept || inputBytes < LARGE_INPUT_BYTES) return;
  kept = true;
  // process.getBuiltinModule: Node >= 20.16; an older Node simply lets the young generation grow.
  if (typeof process.getBuiltinModule !== "function") return;
  process.getBuiltinModule("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
}
