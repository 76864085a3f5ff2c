// Piscina worker entry for heavy statistics. Plain JavaScript, loaded by path at run time, so neither
// Turbopack (`next build`) nor vitest bundles it. It registers tsx in this thread and loads the task
// code from the TypeScript sources, which is what lets one file serve `next start`, the CLI and tests.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../../../tsconfig.json", import.meta.url).pathname });
const { runStatsTask } = await import("./tasks.ts");

export default runStatsTask;
