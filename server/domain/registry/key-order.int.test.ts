import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import * as versionsRoute from "@/app/api/v1/models/[name]/versions/route";
import { createModel } from "./models";

const operator: Principal = { kind: "operator", name: "test" };
const sha = "d".repeat(64);

/** Config keys come back in the order their author wrote them (PostgreSQL's jsonb would sort them). */
describe.each(testDatabaseKinds)("config key order on %s", (kind) => {
  let database: Database;
  let key: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const scientist = await makeScientist(database.db);
    await createModel(scientist, { name: "churn", task: "binary_classification", owner: "test" });
    key = (
      await createApiKey(
        { db: database.db, principal: operator },
        { name: "pipeline", scopes: ["versions:write", "registry:read"], ownerEmail: "ds@ratchet.test" },
      )
    ).key;
  });
  afterAll(async () => database?.close());

  it('keeps {"zeta":1,"alpha":2} in that order from the HTTP API to the version page and the diff', async () => {
    const post = (body: string) =>
      versionsRoute.POST(
        new Request("http://test/api/v1/models/churn/versions", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body,
        }),
        { params: Promise.resolve({ name: "churn" }) },
      );
    // Written by hand, as a pipeline would send it: nested objects and hyper-parameters keep their order too.
    expect(
      (
        await post(
          `{"artifactUri":"s3://c/1","artifactSha256":"${sha}","config":{"zeta":1,"alpha":2,"mid":{"b":1,"a":2}},"hyperparameters":{"z_rate":0.1,"a_depth":3}}`,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(
          `{"artifactUri":"s3://c/2","artifactSha256":"${sha}","config":{"zeta":3,"alpha":4,"mid":{"b":5,"a":6}}}`,
        )
      ).status,
    ).toBe(201);

    // What the version page reads (the server-side tRPC caller).
    const api = createCaller({ db: database.db, principal: operator });
    const v1 = await api.models.version({ model: "churn", version: 1 });
    expect(Object.keys(v1.config)).toEqual(["zeta", "alpha", "mid"]);
    expect(Object.keys(v1.config.mid as object)).toEqual(["b", "a"]);
    expect(Object.keys(v1.hyperparameters)).toEqual(["z_rate", "a_depth"]);

    // The diff lists changes in the same order.
    const diff = await api.models.diff({ model: "churn", from: 1, to: 2 });
    expect(diff.config.map((c) => c.path)).toEqual(["zeta", "alpha", "mid.b", "mid.a"]);
  });
});
