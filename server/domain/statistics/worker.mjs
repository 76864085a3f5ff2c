// Piscina worker entry for heavy statistics. Plain JavaScript, loaded by path at run time, so neither
// Turbopack (`next build`) nor vitest bundles it. It registers tsx in this thread and loads the task
// code from the TypeScript sources, which is what lets one file serve `next start`, the CLI and tests.
import "../worker-priority.mjs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "tsconfig.json") });
const { runStatsTask } = await import("./tasks.ts");

export default runStatsTask;
