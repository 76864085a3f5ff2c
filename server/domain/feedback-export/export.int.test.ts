import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { env } from "@/server/env";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { GET } from "@/app/api/v1/models/[name]/feedback/export/route";
import { createApiKey } from "../admin/apiKeys";
import { adjudicate, listConflicts } from "../feedback/adjudicate";
import { nextItem } from "../feedback/claims";
import { setPolicy } from "../feedback/policy";
import { submitLabel } from "../feedback/submit";
import { publishGuidelines } from "../guidelines/guidelines";
import { InvalidInputError } from "../errors";
import { ingestPredictions } from "../predictions/ingest";
import { runReviewIntake } from "../feedback/intake-job";
import { parseJsonBatch } from "../predictions/parse";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { exportLabels, pseudonymKeyFrom, reviewerLabeler, reviewerPseudonym, type ExportRow } from "./index";

/**
 * The export route on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): labels given through
 * the domain verbs come out as CSV and JSON Lines with their provenance, under the feedback:read scope only,
 * page by page.
 */
const operator: Principal = { kind: "operator", name: "test" };

/** An RFC 4180 reader written apart from the encoder: quoted fields, doubled quotes, CRLF inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else if (c === "\n" || c === "\r") throw new Error(`bare line break at ${i}: not RFC 4180`);
    else field += c;
  }
  if (field !== "" || row.length > 0) throw new Error("the last record does not end with CRLF");
  return rows;
}

describe.each(testDatabaseKinds)("feedback export on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  let reviewers: Principal[];
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const keys: Record<string, string> = {};
  const MODEL = "churn-export";

  const call = (query: string, key: string | null = keys.feedback!, name = MODEL) =>
    GET(
      new Request(`http://test/api/v1/models/${name}/feedback/export${query}`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      }),
      { params: Promise.resolve({ name }) },
    );

  /** Claims the next item of the model for a reviewer and labels it. */
  const label = async (who: Principal, value: string, extra: Record<string, unknown> = {}) => {
    const claim = await nextItem(as(who), { model: MODEL });
    if (!claim) throw new Error("queue empty");
    await submitLabel(as(who), { itemId: claim.item.id, label: value, ...extra });
    return claim.item;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    reviewers = [
      await makeUser(database.db, "ana@ratchet.test", ["reviewer"]),
      await makeUser(database.db, "bo@ratchet.test", ["reviewer"]),
    ];
    await createModel(as(scientist), {
      name: MODEL,
      task: "binary_classification",
      owner: "growth",
      labels: ["stays", "churns"],
    });
    for (const v of [1, 2])
      await registerVersion(as(scientist), MODEL, {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
    // Two reviewers per item, so agreements, conflicts and adjudications all happen.
    await setPolicy(as(scientist), {
      model: MODEL,
      strategy: "confidence",
      threshold: 0.6,
      randomShare: 0,
      goldShare: 0,
      overlap: 2,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.99,
      order: ["recency"],
    });
    for (const key of [
      ["feedback", ["feedback:read"]],
      ["predictions", ["predictions:write"]],
      ["registry", ["registry:read", "versions:write", "reports:write"]],
    ] as const)
      keys[key[0]] = (
        await createApiKey(as(operator), { name: key[0], scopes: [...key[1]], ownerEmail: "ds@ratchet.test" })
      ).key;
  }, 120_000);
  afterAll(async () => database?.close());

  it("records the guidelines' version shown, refuses one the model does not have, and exports every label with its provenance", async () => {
    await publishGuidelines(as(scientist), { model: MODEL, markdown: "# v1", basedOnVersion: 0 });
    await publishGuidelines(as(scientist), { model: MODEL, markdown: "# v2", basedOnVersion: 1 });
    const predictions = [1, 2, 3].map((k) => ({
      model: MODEL,
      version: k === 3 ? 2 : 1,
      id: `req-${k}`,
      time: new Date(Date.UTC(2026, 10, 30, 10, k)).toISOString(),
      // A value with a comma, quotes and a line break: CSV must quote it.
      features: { plan: k === 1 ? 'pro, "annual"\r\nrenewed' : "basic", tenure: k * 10 },
      prediction: "stays",
      confidence: 0.5 + k / 100,
    }));
    await ingestPredictions(as(operator), parseJsonBatch(JSON.stringify({ predictions })));
    await runReviewIntake(database.db);
    const [ana, bo] = reviewers as [Principal, Principal];

    // A version the model does not have is refused, naming the field, and nothing is saved.
    const held = await nextItem(as(ana), { model: MODEL });
    await expect(submitLabel(as(ana), { itemId: held!.item.id, label: "stays", guidelineVersion: 7 })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      submitLabel(as(ana), { itemId: held!.item.id, label: "stays", guidelineVersion: 7 }),
    ).rejects.toMatchObject({ field: "guidelineVersion" });
    const none = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_labels`);
    expect(Number(none.rows[0]!.n)).toBe(0);

    // Item 1 (newest first): both agree. Ana read v1 (the page had not reloaded), Bo sends nothing (v2 in force).
    const first = await label(ana, "churns", { guidelineVersion: 1, note: 'said "maybe", then no', flags: ["unsure"] });
    expect(first.id).toBe(held!.item.id);
    await label(bo, "churns");
    // Item 2: they disagree; a data scientist settles it. Ana's page showed no guidelines (null).
    const second = await label(ana, "stays", { guidelineVersion: null });
    await label(bo, "churns", { guidelineVersion: 2 });
    // Item 3: one label only, still waiting for the second.
    const third = await label(ana, "stays", { guidelineVersion: 2 });
    const { items: conflicts } = await listConflicts(as(scientist), { model: MODEL });
    expect(conflicts.map((c) => c.id)).toEqual([second.id]);
    // The adjudication view shows which guidelines each reviewer was given.
    expect(conflicts[0]!.labels.map((l) => l.guidelineVersion)).toEqual([null, 2]);
    await adjudicate(as(scientist), { itemId: second.id, label: "churns", note: "checked" });

    const res = await call("?format=jsonl");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${MODEL}-labels.jsonl"`);
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const rows = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as ExportRow);
    const key = pseudonymKeyFrom(env().RATCHET_PSEUDONYM_KEY ?? env().AUTH_SECRET);
    const p = (who: Principal) => reviewerPseudonym(key, (who as { id: string }).id);
    const pick = (r: ExportRow) => [
      r.item_id,
      r.model_version,
      r.external_id,
      r.prediction,
      r.confidence,
      r.sampling_weight,
      r.final_label,
      r.label,
      r.reviewer,
      r.guideline_version,
      r.adjudicated,
      r.adjudicator,
    ];
    // Newest first (the policy's order): req-3 (version 2), req-2, req-1.
    const row = (item: typeof first) => [String(item.id), item.version, item.externalId, "stays", item.confidence, 1];
    expect(first.version).toBe(2);
    expect(rows.map(pick)).toEqual([
      [...row(first), "churns", "churns", p(ana), 1, false, null],
      [...row(first), "churns", "churns", p(bo), 2, false, null],
      [...row(second), "churns", "stays", p(ana), null, true, p(scientist)],
      [...row(second), "churns", "churns", p(bo), 2, true, p(scientist)],
      [...row(third), null, "stays", p(ana), 2, false, null],
    ]);
    expect(rows[0]).toMatchObject({ note: 'said "maybe", then no', flags: ["unsure"], saw_model_answer: true });
    expect(text).not.toContain("@ratchet.test");

    // The same rows as CSV, read back by an RFC 4180 reader.
    const csv = await call("?format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...lines] = parseCsv(await csv.text());
    expect(lines).toHaveLength(5);
    const at = (name: string) => header!.indexOf(name);
    const plans = lines.map((l) => (JSON.parse(l[at("features")]!) as { plan: string }).plan);
    expect(plans).toContain('pro, "annual"\r\nrenewed');
    expect(
      lines.map((l) => [l[at("item_id")], l[at("final_label")], l[at("label")], l[at("guideline_version")]]),
    ).toEqual(
      rows.map((r) => [
        r.item_id,
        r.final_label ?? "",
        r.label,
        r.guideline_version === null ? "" : String(r.guideline_version),
      ]),
    );
    expect(lines[0]![at("note")]).toBe('said "maybe", then no');

    // Filters: one version, settled items only, a time window.
    const v2 = (await (await call("?format=jsonl&version=2")).text()).trimEnd().split("\n");
    expect(v2.map((l) => (JSON.parse(l) as ExportRow).item_id)).toEqual([String(first.id), String(first.id)]);
    const settled = (await (await call("?format=jsonl&resolved=true")).text()).trimEnd().split("\n");
    expect(settled).toHaveLength(4);
    expect(await (await call("?format=jsonl&since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z")).text()).toBe("");
    // An empty CSV export is still a header.
    expect(parseCsv(await (await call("?format=csv&until=2000-01-02T00:00:00Z")).text())).toHaveLength(1);

    // Identity mode names reviewers by email.
    const named = await exportLabels(
      as(operator),
      { model: MODEL },
      { reviewerLabel: reviewerLabeler("identity", key) },
    );
    const emails: string[] = [];
    for await (const r of named) emails.push(r.reviewer);
    expect(emails).toEqual([
      "ana@ratchet.test",
      "bo@ratchet.test",
      "ana@ratchet.test",
      "bo@ratchet.test",
      "ana@ratchet.test",
    ]);
  });

  it("answers clear 4xx: 401 without a key, 403 without feedback:read, 400 naming the field, 404 for an unknown model or version", async () => {
    expect((await call("?format=csv", null)).status).toBe(401);
    for (const other of [keys.predictions!, keys.registry!]) {
      const res = await call("?format=csv", other);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/feedback:read/);
    }
    const field = async (query: string) => {
      const res = await call(query);
      expect(res.status, query).toBe(400);
      return ((await res.json()) as { issues: { field: string }[] }).issues.map((i) => i.field);
    };
    expect(await field("")).toEqual(["format"]);
    expect(await field("?format=xlsx")).toEqual(["format"]);
    expect(await field("?format=csv&version=two")).toEqual(["version"]);
    expect(await field("?format=csv&since=yesterday")).toEqual(["since"]);
    expect(await field("?format=csv&since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z")).toEqual(["until"]);
    expect(await field("?format=csv&resolved=yes")).toEqual(["resolved"]);
    const unknown = await call("?format=csv", keys.feedback, "no-such-model");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/no-such-model/);
    expect((await call("?format=csv&version=9")).status).toBe(404);
  });

  it("streams an export of thousands of labels page by page: the first rows before the later pages are read", async () => {
    const BIG = "bulk-export";
    await createModel(as(scientist), { name: BIG, task: "binary_classification", owner: "growth", labels: ["a", "b"] });
    await registerVersion(as(scientist), BIG, { artifactUri: "s3://b/1", artifactSha256: "b".repeat(64), config: {} });
    const N = 4000;
    // Set up in bulk (the labels' content is what the first test checks through the domain verbs).
    await database.db.execute(sql`
      insert into feedback_items (model_id, model_version_id, external_id, predicted_at, arm, features,
        prediction_label, confidence, reason, sampling_probability, random_draw, priority, label_count, status, resolved_label)
      select m.id, v.id, 'bulk-' || g, now(), 'champion', jsonb_build_object('x', g), 'a', 0.5,
        'random', 0.05, true, lpad(g::text, 8, '0'), 1, 'resolved', 'b'
      from generate_series(1, ${N}) g, models m join model_versions v on v.model_id = m.id
      where m.name = ${BIG}`);
    await database.db.execute(sql`
      insert into feedback_labels (item_id, reviewer_id, label, saw_model_answer)
      select i.id, ${(reviewers[0] as { id: string }).id}, 'b', true
      from feedback_items i join models m on m.id = i.model_id where m.name = ${BIG}`);

    // Through HTTP: every label once, in order, parseable, weights 1/π.
    const res = await call("?format=jsonl", keys.feedback, BIG);
    const lines = (await res.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(N);
    const parsed = lines.map((l) => JSON.parse(l) as ExportRow);
    expect(new Set(parsed.map((r) => r.external_id)).size).toBe(N);
    expect(parsed.every((r) => r.sampling_weight === 20 && r.final_label === "b")).toBe(true);
    const csvRows = parseCsv(await (await call("?format=csv", keys.feedback, BIG)).text());
    expect(csvRows).toHaveLength(N + 1);

    // Page queries are counted: taking the first row reads one page, not the whole export.
    let pages = 0;
    const counting = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop === "execute")
          return (...args: Parameters<typeof target.execute>) => {
            pages++;
            return target.execute(...args);
          };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const rows = await exportLabels({ db: counting, principal: operator }, { model: BIG }, { pageSize: 500 });
    expect(pages).toBe(0);
    await rows.next();
    expect(pages).toBe(1);
    let n = 1;
    while (!(await rows.next()).done) n++;
    expect(n).toBe(N);
    expect(pages).toBe(Math.ceil(N / 500) + (N % 500 === 0 ? 1 : 0));
  }, 120_000);
});
