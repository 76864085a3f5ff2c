import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors";
import { readLines, readNdjsonReport } from "./ndjson";

/** A stream that delivers `text` in pieces of `size` bytes, splitting lines and multi-byte characters. */
function streamOf(text: string, size = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("NDJSON line reader", () => {
  it("splits \\n and \\r\\n lines across chunk boundaries, counting blank lines", async () => {
    const lines = await collect(readLines(streamOf('{"a":1}\r\n\n{"b":"é€"}\n  \n{"c":3}', 3)));
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":"é€"}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it("refuses a line longer than the limit without buffering the rest", async () => {
    await expect(collect(readLines(streamOf("x".repeat(100) + "\n", 16), 50))).rejects.toThrow(
      /line 1: is longer than 50/,
    );
  });

  it("refuses bytes that are not UTF-8", async () => {
    const bad = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([0x7b, 0xff, 0x7d, 0x0a]));
        c.close();
      },
    });
    await expect(collect(readLines(bad))).rejects.toThrow(/not valid UTF-8/);
  });
});

describe("NDJSON report", () => {
  it("gives the header unvalidated and validates each outcome line with its number", async () => {
    const body =
      '{"model":"m","version":1}\n{"id":"a","label":1,"prediction":1,"score":0.9}\n\n{"id":"b","label":0,"prediction":0}\n';
    const { header, outcomes } = await readNdjsonReport(streamOf(body));
    expect(header).toEqual({ model: "m", version: 1 });
    expect(await collect(outcomes)).toEqual([
      { line: 2, outcome: { id: "a", label: 1, prediction: 1, score: 0.9 } },
      { line: 4, outcome: { id: "b", label: 0, prediction: 0 } },
    ]);
  });

  it.each([
    ['{"id":"a","label":1,"prediction":1}\n{"id":"b","label":"x","prediction":0}', "line 3", /^label: /],
    ['{"id":"a","label":1,"prediction":1}\n{"id":"b","label":1,', "line 3", /not valid JSON/],
    ['{"id":"","label":1,"prediction":1}', "line 2", /^id: must not be empty/],
    ['{"id":"a","label":1e999,"prediction":1}', "line 2", /^label: must be a finite number/],
  ])("names the line of a bad outcome: %s", async (lines, field, reason) => {
    const { outcomes } = await readNdjsonReport(streamOf(`{"model":"m"}\n${lines}\n`));
    const error = await collect(outcomes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect((error as InvalidInputError).reason).toMatch(reason);
  });

  it("refuses an empty body and a first line that is not JSON", async () => {
    await expect(readNdjsonReport(streamOf("\n\n"))).rejects.toThrow(/body: is empty/);
    await expect(readNdjsonReport(streamOf("model=m\n"))).rejects.toThrow(/line 1: is not valid JSON/);
  });

  it("cancels the upload when closed before the outcomes are read", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"model":"m"}\n{"id":"a"}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const report = await readNdjsonReport(stream);
    await report.close();
    expect(cancelled).toBe(true);
  });
});
