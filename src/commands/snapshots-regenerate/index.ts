export function runSnapshotsRegenerate(_o: unknown): Promise<never> { throw new Error("todo"); }
