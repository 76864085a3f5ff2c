import type { Db } from "@/db/client";
import type { Principal, Scope } from "@/server/authz/policy";
import { authenticateApiKey, createApiKey } from "@/server/domain/admin/apiKeys";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { proposeRequirementSet } from "@/server/domain/requirements/sets";
import { insertReport, makeUser } from "./fixtures";

/**
 * A model whose versions have each gate outcome, for the pipeline tests: v1 passes (holdout AUC above the
 * floor, with evidence), v2 fails (below the floor), v3 has no report (insufficient), v4 passes like v1.
 * No champion yet, so no paired comparison is needed.
 */
export const PIPELINE_MODEL = "loan-default";

export interface PipelinePeople {
  scientist: Principal;
  manager: Principal;
  manager2: Principal;
  admin: Principal;
}

export async function seedPipelineModel(db: Db): Promise<PipelinePeople> {
  const scientist = await makeUser(db, "scientist@pipe.dev", ["data_scientist"]);
  const manager = await makeUser(db, "manager@pipe.dev", ["manager"]);
  const manager2 = await makeUser(db, "manager2@pipe.dev", ["manager"]);
  const admin = await makeUser(db, "admin@pipe.dev", ["admin"]);
  const as = { db, principal: scientist };
  await createModel(as, { name: PIPELINE_MODEL, task: "binary_classification", owner: "risk" });
  for (let v = 1; v <= 4; v++) {
    await registerVersion(as, PIPELINE_MODEL, {
      artifactUri: `s3://m/${v}`,
      artifactSha256: String(v).repeat(64),
      config: { v },
    });
  }
  await proposeRequirementSet(as, {
    model: PIPELINE_MODEL,
    primaryMetric: "auc",
    requiredReportKinds: ["holdout"],
    requirements: [{ metric: "auc", direction: "higher", floor: 0.7 }],
    rationale: "agreed with risk in the launch review",
  });
  for (const v of [1, 4])
    await insertReport(db, PIPELINE_MODEL, v, "holdout", { auc: [0.78, 0.76, 0.8], baseline_zero_rule_auc: 0.5 });
  await insertReport(db, PIPELINE_MODEL, 2, "holdout", { auc: [0.6, 0.58, 0.62], baseline_zero_rule_auc: 0.5 });
  return { scientist, manager, manager2, admin };
}

/** A key for `owner` with the scopes, in clear (what a pipeline holds). */
export async function pipelineKey(db: Db, owner: string, scopes: Scope[], name = `${owner}-${scopes.join("+")}`) {
  const created = await createApiKey(
    { db, principal: { kind: "operator", name: "test" } },
    { name, scopes, ownerEmail: owner },
  );
  return { key: created.key, principal: (await authenticateApiKey(db, created.key))! };
}
