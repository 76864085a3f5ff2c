import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors";
import { ReportHasher } from "./content-hash";
import { firstRepeat, idHash } from "./duplicates";
import { bytesToFloat64, CHUNK_ROWS, float64ToBytes, OutcomeBuilder, type ModelTask } from "./outcomes";
import type { OutcomeRow } from "./schemas";

const header = { model: "m", version: 1 };
const build = (task: ModelTask, rows: OutcomeRow[], sampleSize = rows.length, lines = false) => {
  const b = new OutcomeBuilder(task, sampleSize, new ReportHasher(header));
  rows.forEach((r, i) => b.push(r, lines ? i + 2 : undefined));
  return b.finish();
};
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidInputError) return `${e.field}: ${e.reason}`;
    throw e;
  }
  return "accepted";
};

describe("OutcomeBuilder", () => {
  it("collects columns and joins ids per chunk across growth", () => {
    const n = CHUNK_ROWS + 70_000;
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `id-${i}`,
      label: i % 2,
      prediction: (i >> 1) % 2,
      score: (i % 100) / 100,
    }));
    const cols = build("binary_classification", rows);
    expect(cols.n).toBe(n);
    expect(cols.idChunks).toHaveLength(Math.ceil(n / CHUNK_ROWS));
    expect(cols.idChunks[1]!.split("\n")[0]).toBe(`id-${CHUNK_ROWS}`);
    expect(cols.labels[n - 1]).toBe((n - 1) % 2);
    expect(cols.scores?.[123]).toBe(0.23);
  });

  it("checks values against the task, naming row or line and field", () => {
    expect(refusal(() => build("binary_classification", [{ id: "a", label: 2, prediction: 1 }]))).toBe(
      "outcomes.0.label: must be 0 or 1 for a binary classifier, got 2",
    );
    expect(refusal(() => build("binary_classification", [{ id: "a", label: 1, prediction: 0.7 }], 1, true))).toBe(
      "line 2: prediction: must be the predicted class, 0 or 1, got 0.7",
    );
    expect(refusal(() => build("binary_classification", [{ id: "a", label: 1, prediction: 1, score: 1.5 }]))).toMatch(
      /^outcomes\.0\.score: must be a probability/,
    );
    expect(refusal(() => build("multiclass_classification", [{ id: "a", label: 1.5, prediction: 1 }]))).toMatch(
      /^outcomes\.0\.label: must be a class index/,
    );
    expect(refusal(() => build("regression", [{ id: "a", label: 10.5, prediction: -3 }]))).toBe("accepted");
    const mixed = [
      { id: "a", label: 1, prediction: 1, score: 0.9 },
      { id: "b", label: 0, prediction: 0 },
    ];
    expect(refusal(() => build("binary_classification", mixed))).toMatch(
      /^outcomes\.1\.score: is missing, but earlier rows have one/,
    );
  });

  it("requires sampleSize to equal the number of outcomes", () => {
    const rows = [
      { id: "a", label: 1, prediction: 1 },
      { id: "b", label: 0, prediction: 1 },
    ];
    expect(refusal(() => build("binary_classification", rows, 3))).toBe(
      "sampleSize: is 3, but 2 outcomes were sent; they must match",
    );
    expect(refusal(() => build("binary_classification", rows, 1))).toBe(
      "sampleSize: is 1, but more outcomes were sent (outcomes.1); they must match",
    );
  });

  it("names the first repeated id and where it was first seen", () => {
    const ids = ["a", "b", "c", "b", "a", "c"];
    const rows = ids.map((id) => ({ id, label: 0, prediction: 0 }));
    expect(refusal(() => build("binary_classification", rows))).toBe(
      'outcomes.3.id: "b" repeats the id of outcomes.1; ids must be unique within a report',
    );
    expect(refusal(() => build("binary_classification", rows, 6, true))).toBe(
      'line 5: id: "b" repeats the id of line 3; ids must be unique within a report',
    );
  });
});

describe("duplicate ids", () => {
  it("tells colliding hashes from equal ids", () => {
    const hashes = new Float64Array([7, 7, 7, 1]);
    const ids = ["x", "y", "z", "w"];
    expect(firstRepeat(hashes, (r) => ids[r]!)).toBeNull();
    const again = ["x", "y", "x", "w"];
    expect(firstRepeat(hashes, (r) => again[r]!)).toEqual({ id: "x", row: 2, firstRow: 0 });
  });

  it("spreads a million similar ids without collisions", () => {
    const hashes = new Float64Array(1_000_000);
    for (let i = 0; i < hashes.length; i++) hashes[i] = idHash(`ex-${i}`);
    const sorted = hashes.slice().sort();
    let collisions = 0;
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) collisions++;
    expect(collisions).toBe(0);
    expect(Number.isSafeInteger(idHash("anything"))).toBe(true);
  });
});

describe("content hash and column bytes", () => {
  it("hashes the same report alike whichever key order or transport", () => {
    const a = new ReportHasher({ version: 1, model: "m", metrics: { f1: 0.5, auc: 0.7 } });
    const b = new ReportHasher({ metrics: { auc: 0.7, f1: 0.5 }, model: "m", version: 1, dataset: undefined });
    for (const h of [a, b]) h.addRow("x", 1, 0, 0.25);
    expect(a.digest()).toBe(b.digest());
    const c = new ReportHasher({ model: "m", version: 1, metrics: { auc: 0.7, f1: 0.5 } });
    c.addRow("x", 1, 0, 0.26);
    expect(c.digest()).not.toBe(a.digest());
  });

  it("round-trips float64 columns through unaligned little-endian bytes", () => {
    const values = new Float64Array([0, -0.5, 1e-300, Math.PI, -1e300]);
    const bytes = float64ToBytes(values);
    const unaligned = new Uint8Array(bytes.length + 3);
    unaligned.set(bytes, 3);
    const out = new Float64Array(7);
    bytesToFloat64(unaligned.subarray(3), out, 2);
    expect([...out.subarray(2)]).toEqual([...values]);
    expect(bytes[7]).toBe(0); // 0.0 little-endian: all zero; PI's sign/exponent byte comes last
    expect(bytes[31]).toBe(0x40);
  });
});
