import { describe, expect, it } from "vitest";
import { loadEnv } from "@/server/env";
import {
  encodeCsv,
  encodeJsonl,
  exportRows,
  pseudonymKeyFrom,
  reviewerLabeler,
  reviewerPseudonym,
  textByteStream,
  type LabeledRecord,
} from "./index";

const record = (over: Partial<LabeledRecord> = {}): LabeledRecord => ({
  itemId: "item-1",
  model: "credit-default",
  modelVersion: 8,
  externalId: "req-42",
  predictedAt: new Date("2026-11-02T10:00:00Z"),
  features: { income: 52000, region: "north" },
  prediction: "default",
  confidence: 0.61,
  samplingReason: "random",
  inclusionProbability: 0.05,
  finalLabel: "repaid",
  label: "repaid",
  labeledAt: new Date("2026-11-03T09:30:00Z"),
  reviewerId: "user-ana",
  reviewerEmail: "ana@example.com",
  guidelineVersion: 2,
  sawModelAnswer: true,
  adjudicated: false,
  adjudicatorId: null,
  adjudicatorEmail: null,
  note: null,
  flags: [],
  ...over,
});

const collect = async (gen: AsyncIterable<string>) => {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
};

// Node 20 has no Array.fromAsync.
async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const identity = reviewerLabeler("identity", pseudonymKeyFrom("k".repeat(32)));

describe("export rows", () => {
  it("carry provenance and the sampling weight 1/π", async () => {
    const [row] = await toArray(exportRows([record()], identity));
    expect(row).toMatchObject({
      model: "credit-default",
      model_version: 8,
      confidence: 0.61,
      inclusion_probability: 0.05,
      sampling_weight: 20,
      reviewer: "ana@example.com",
      final_label: "repaid",
      guideline_version: 2,
      saw_model_answer: true,
      adjudicated: false,
      predicted_at: "2026-11-02T10:00:00.000Z",
    });
  });

  it("refuse an item without a valid inclusion probability, naming it", async () => {
    await expect(toArray(exportRows([record({ inclusionProbability: 0 })], identity))).rejects.toThrow(
      /item-1: inclusion probability/,
    );
  });
});

describe("reviewer pseudonyms (keyed HMAC)", () => {
  const key = pseudonymKeyFrom("a-secret-of-at-least-thirty-two-chars!");
  it("are stable per person, differ between people and between keys, and hide the id", () => {
    const p = reviewerPseudonym(key, "user-ana");
    expect(p).toMatch(/^rv_[A-Za-z0-9_-]{22}$/);
    expect(reviewerPseudonym(key, "user-ana")).toBe(p);
    expect(reviewerPseudonym(key, "user-bo")).not.toBe(p);
    expect(reviewerPseudonym(pseudonymKeyFrom("another-secret-of-at-least-32-chars"), "user-ana")).not.toBe(p);
    expect(p).not.toContain("ana");
  });

  it("mask reviewers and adjudicators alike in pseudonym mode; identity mode names their emails", async () => {
    const labeler = reviewerLabeler("pseudonym", key);
    const adjudicated = record({ adjudicated: true, adjudicatorId: "user-ana", adjudicatorEmail: "ana@example.com" });
    const [row] = await toArray(exportRows([adjudicated], labeler));
    expect(row!.reviewer).toBe(reviewerPseudonym(key, "user-ana"));
    expect(row!.adjudicator).toBe(row!.reviewer);
    expect(JSON.stringify(row)).not.toContain("ana@");
    const [named] = await toArray(exportRows([adjudicated], identity));
    expect(named!.reviewer).toBe("ana@example.com");
    expect(named!.adjudicator).toBe("ana@example.com");
  });

  it("are configured through the environment, pseudonyms by default", () => {
    const base = { AUTH_SECRET: "s".repeat(40), PGLITE_DIR: "/tmp/ratchet-export-env/pglite" };
    expect(loadEnv(base).RATCHET_EXPORT_REVIEWERS).toBe("pseudonym");
    expect(loadEnv({ ...base, RATCHET_EXPORT_REVIEWERS: "identity" }).RATCHET_EXPORT_REVIEWERS).toBe("identity");
    expect(() => loadEnv({ ...base, RATCHET_EXPORT_REVIEWERS: "names" })).toThrow(/RATCHET_EXPORT_REVIEWERS/);
    expect(() => loadEnv({ ...base, RATCHET_PSEUDONYM_KEY: "short" })).toThrow(/RATCHET_PSEUDONYM_KEY must be/);
  });
});

describe("CSV encoder (RFC 4180)", () => {
  it("writes a header and CRLF lines, quoting commas, quotes and line breaks, nulls empty", async () => {
    const rows = exportRows(
      [
        record(),
        record({
          itemId: "item-2",
          note: 'said "maybe",\r\nthen no',
          flags: ["unsure"],
          confidence: null,
          guidelineVersion: null,
        }),
      ],
      identity,
    );
    const text = await collect(encodeCsv(rows));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      "item_id,model,model_version,external_id,predicted_at,features,prediction,confidence,sampling_reason," +
        "inclusion_probability,sampling_weight,final_label,label,labeled_at,reviewer,guideline_version,saw_model_answer," +
        "adjudicated,adjudicator,note,flags",
    );
    expect(lines[1]).toBe(
      'item-1,credit-default,8,req-42,2026-11-02T10:00:00.000Z,"{""income"":52000,""region"":""north""}",default,0.61,' +
        "random,0.05,20,repaid,repaid,2026-11-03T09:30:00.000Z,ana@example.com,2,true,false,,,[]",
    );
    // The quoted note spans a CRLF inside its quotes, exactly as RFC 4180 allows.
    expect(text).toContain(',"said ""maybe"",\r\nthen no","[""unsure""]"\r\n');
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("spreads chosen features into their own columns", async () => {
    const text = await collect(
      encodeCsv(exportRows([record()], identity), { featureNames: ["region", "income", "missing"] }),
    );
    const [header, line] = text.split("\r\n");
    expect(header).toContain(",feature:region,feature:income,feature:missing,");
    expect(line).toContain(",north,52000,,");
  });

  it("streams: the first lines come before the source has produced its later rows", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield record({ itemId: `item-${i}` });
      }
    }
    const csv = encodeCsv(exportRows(source(), identity));
    await csv.next(); // header
    await csv.next(); // first row
    expect(produced).toBe(1);
    await csv.return(undefined);
  });
});

describe("JSONL encoder", () => {
  it("writes one parseable object per line, newlines inside values escaped", async () => {
    const text = await collect(
      encodeJsonl(exportRows([record({ note: "two\nlines" }), record({ itemId: "item-2", label: 3.5 })], identity)),
    );
    const lines = text.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ item_id: "item-1", note: "two\nlines", sampling_weight: 20 });
    expect(JSON.parse(lines[1]!).label).toBe(3.5);
  });
});

describe("byte stream for HTTP bodies", () => {
  it("delivers the encoded text as UTF-8 bytes in batches", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => record({ itemId: `item-${i}`, note: "ünïcödé" }));
    const expected = await collect(encodeJsonl(exportRows(rows, identity)));
    const body = textByteStream(encodeJsonl(exportRows(rows, identity)), 1024);
    const text = await new Response(body).text();
    expect(text).toBe(expected);
  });

  it("stops the source when the client goes away", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield `line ${i}\n`;
      } finally {
        closed = true;
      }
    }
    const reader = textByteStream(source(), 16).getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });
});
