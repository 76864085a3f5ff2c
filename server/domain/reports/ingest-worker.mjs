// Piscina worker entry for NDJSON ingestion, loaded by path at run time like the statistics worker
// (server/domain/statistics/worker.mjs): it registers tsx and loads the TypeScript sources.
import "../worker-priority.mjs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "tsconfig.json") });
const { ingestFromPort } = await import("./ingest.ts");

export default ingestFromPort;
