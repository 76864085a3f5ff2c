import { describe, expect, it } from "vitest";
import { runCompareCli } from "./cli-compare";
import { compareModels } from "./compare";
import { metricsFixture } from "./fixtures/load";

const medium = metricsFixture.binary[1]!;

function csvOf(scores: boolean): string {
  const a = scores ? medium.champion : medium.championMetrics.predicted;
  const b = scores ? medium.challenger : medium.challengerMetrics.predicted;
  return ["id,label,champion,challenger", ...medium.labels.map((y, i) => `ex${i},${y},${a[i]},${b[i]}`)].join("\n");
}

async function run(argv: string[], files: Record<string, string> = {}) {
  let out = "",
    err = "";
  const code = await runCompareCli(argv, {
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      return text;
    },
    stdout: (s) => {
      out += s;
    },
    stderr: {
      write: (s: string) => {
        err += s;
      },
    },
  });
  return { code, out, err };
}

describe("ratchet compare", () => {
  it("--json prints one JSON line equal to compareModels (McNemar for accuracy)", async () => {
    const r = await run(["compare", "--outcomes", "o.csv", "--metric", "accuracy", "--seed", "5", "--json"], {
      "o.csv": csvOf(false),
    });
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.endsWith("\n")).toBe(true);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    const parsed = JSON.parse(r.out);
    const expected = compareModels({
      metric: "accuracy",
      labels: medium.labels,
      champion: medium.championMetrics.predicted,
      challenger: medium.challengerMetrics.predicted,
      seed: 5,
    });
    expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(parsed.mcnemar).toBeDefined();
    expect(parsed.delong).toBeUndefined();
  });

  it("DeLong only for auc", async () => {
    const r = await run(["--outcomes", "o.csv", "--metric", "auc", "--json", "--resamples", "200"], {
      "o.csv": csvOf(true),
    });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    expect(parsed.delong.z).toBeCloseTo(medium.delong.z, 7);
    expect(parsed.mcnemar).toBeUndefined();
  });

  it("compares precision and recall on predicted classes and log loss and Brier on scores, refusing the wrong column", async () => {
    for (const metric of ["precision", "recall"]) {
      const r = await run(["--outcomes", "o.csv", "--metric", metric, "--json", "--resamples", "200"], {
        "o.csv": csvOf(false),
      });
      expect([metric, r.code, (JSON.parse(r.out) as { metric: string }).metric]).toEqual([metric, 0, metric]);
    }
    for (const metric of ["log_loss", "brier"]) {
      const r = await run(["--outcomes", "o.csv", "--metric", metric, "--json", "--resamples", "200"], {
        "o.csv": csvOf(true),
      });
      expect([metric, r.code, (JSON.parse(r.out) as { metric: string }).metric]).toEqual([metric, 0, metric]);
    }
    const wrong = await run(["--outcomes", "o.csv", "--metric", "precision"], { "o.csv": csvOf(true) });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(
      /column "challenger": prediction .* is not 0 or 1 \(metric precision needs predicted classes\)/,
    );
  });

  it("prints a readable table without --json", async () => {
    const r = await run(["--outcomes", "o.csv", "--metric", "accuracy"], { "o.csv": csvOf(false) });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^metric accuracy \(higher is better\), n = 1500/);
    expect(r.out).toMatch(/champion\s+0\.\d{4}\s+\[0\.\d{4}, 0\.\d{4}\]/);
    expect(r.out).toMatch(/difference\s+\+0\.\d{4}.*\(challenger − champion\)/);
    expect(r.out).toMatch(/McNemar: b = 168 .* c = 234/);
    expect(r.out).toMatch(/verdict: better/);
  });

  it("exits 2 naming the row and column of bad CSV input", async () => {
    const bad = "id,label,champion,challenger\na,1,1,0\nb,0,zero,1\n";
    const r = await run(["--outcomes", "bad.csv", "--metric", "f1"], { "bad.csv": bad });
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain('row 2 (line 3), column "champion": "zero" is not a number');
  });

  it.each([
    [["--outcomes", "o.csv", "--metric", "accuracy", "--sed", "1"], /--sed/],
    [["--outcomes", "o.csv", "--metric", "r2"], /--metric: "r2" is not one of/],
    [["--metric", "auc"], /missing --outcomes/],
    [["--outcomes", "o.csv"], /missing --metric/],
    [["--outcomes", "o.csv", "--metric", "auc", "--seed", "1.5"], /--seed: "1.5" is not an integer/],
    [["--outcomes", "o.csv", "--metric", "auc", "extra"], /extra/],
    [["--outcomes", "missing.csv", "--metric", "auc"], /cannot read --outcomes missing\.csv/],
  ])("exits 2 on bad flags: %j", async (argv, message) => {
    const r = await run(argv, { "o.csv": csvOf(true) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage: ratchet compare/);
  });
});
