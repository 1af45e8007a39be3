// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON results.
import { readFileSync } from "node:fs";

const results = JSON.parse(readFileSync(new URL("../.vitest/results.json", import.meta.url), "utf8"));
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
