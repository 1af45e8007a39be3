/** What scripts/bench-apply.mjs needs from the test helpers, bundled by it with esbuild. */
export { startNetBoxServer, TEST_WRITE_TOKEN } from "./netbox-server.js";
export { deviceState } from "./netbox-fixtures.js";
export { BATCH_ID, interfacesWithIps, writeBatchWorkspace } from "./batch-workspace.js";
