import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { GENERATED_TYPES_FILE, generateApiTypes } from "./api-types";
import { API_ROUTES } from "./routes";

/**
 * The OpenAPI document is one that linters and client generators accept: what GET /api/v1/openapi.json
 * serves passes `redocly lint` with its recommended rules (no error, no warning), and the committed
 * client types are what openapi-typescript makes of it today.
 */
describe("OpenAPI document", () => {
  async function served() {
    const res = openapiRoute.GET(new Request("https://ratchet.acme.dev/api/v1/openapi.json"));
    return (await res.json()) as {
      servers: { url: string }[];
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
  }

  it("passes redocly lint with the recommended rules, without a warning", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ratchet-openapi-"));
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(await served(), null, 2));
    // An empty config folder: the recommended rules, not any redocly.yaml lying around.
    const { stdout } = await promisify(execFile)(
      path.join(process.cwd(), "node_modules", ".bin", "redocly"),
      ["lint", file, "--format=json", "--extends=recommended"],
      { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    ).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`redocly lint failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    });
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("names every operation, uniquely, and points clients at the instance it was read from", async () => {
    const doc = await served();
    expect(doc.servers[0]?.url).toBe("https://ratchet.acme.dev");
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toHaveLength(API_ROUTES.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(["requestRelease", "getRelease", "getGate"]));
  });

  it("has committed client types that match the document (run `npm run openapi:types` after changing a route)", async () => {
    const committed = readFileSync(path.join(process.cwd(), GENERATED_TYPES_FILE), "utf8");
    expect(committed === (await generateApiTypes()), `${GENERATED_TYPES_FILE} is stale`).toBe(true);
  }, 30_000);
});
