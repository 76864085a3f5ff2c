import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runDriftCli } from "./cli-drift";
import { parseCsvTable } from "./csv-table";
import { driftColumn, driftDataset } from "./engine";

// 40 reference rows, 30 current rows: age shifts by +15, income stays, region gains "west", score has gaps.
const ages = (n: number, shift: number) => Array.from({ length: n }, (_, i) => 20 + ((i * 7) % 40) + shift);
const incomes = (n: number) => Array.from({ length: n }, (_, i) => 30000 + ((i * 7919) % 50000));
const regions = (n: number, extra: boolean) =>
  Array.from({ length: n }, (_, i) => (extra && i % 5 === 0 ? "west" : ["north", "south", "east"][i % 3]!));
const scores = (n: number, gaps: number) => Array.from({ length: n }, (_, i) => (i < gaps ? "" : String((i % 9) / 10)));

function csv(n: number, current: boolean): string {
  const a = ages(n, current ? 15 : 0),
    inc = incomes(n),
    reg = regions(n, current),
    sc = scores(n, current ? 3 : 0);
  // The region column is quoted (RFC 4180) in the current file, with a comma in a header-free field nowhere else.
  return (
    ["age,income,region,score", ...a.map((v, i) => `${v},${inc[i]},${current ? `"${reg[i]}"` : reg[i]},${sc[i]}`)].join(
      "\r\n",
    ) + "\r\n"
  );
}
const files: Record<string, string> = { "ref.csv": csv(40, false), "cur.csv": csv(30, true) };

async function run(argv: string[], extra: Record<string, string> = {}) {
  let out = "",
    err = "";
  const all = { ...files, ...extra };
  const code = await runDriftCli(argv, {
    readFile: async (p) => {
      const text = all[p];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
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

describe("ratchet drift", () => {
  it("--json prints exactly the documented shape, one line, numbers from the engine", async () => {
    const r = await run(["drift", "--reference", "ref.csv", "--current", "cur.csv", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    const parsed = JSON.parse(r.out);
    expect(Object.keys(parsed)).toEqual(["columns", "driftedShare", "datasetDrifted"]);
    expect(parsed.columns.map((c: { column: string }) => c.column)).toEqual(["age", "income", "region", "score"]);
    for (const c of parsed.columns) {
      expect(Object.keys(c)).toEqual([
        "column",
        "type",
        "method",
        "statistic",
        "pValue",
        "threshold",
        "drifted",
        "missingShare",
        "newCategories",
      ]);
    }
    const [age, income, region, score] = parsed.columns;
    const expectedAge = driftColumn(ages(40, 0), ages(30, 15));
    expect(age).toMatchObject({
      type: "numerical",
      method: "ks",
      threshold: 0.05,
      drifted: true,
      newCategories: [],
      missingShare: { reference: 0, current: 0 },
    });
    expect(age.statistic).toBe(expectedAge.statistic);
    expect(age.pValue).toBe(expectedAge.pValue);
    expect(income).toMatchObject({ method: "ks", drifted: false });
    expect(region).toMatchObject({
      type: "categorical",
      method: "chisquare",
      newCategories: ["west"],
      drifted: true,
      pValue: 0,
      statistic: null,
    });
    expect(score).toMatchObject({ type: "numerical", method: "ks", missingShare: { reference: 0, current: 0.1 } });
    expect(parsed.driftedShare).toBe(parsed.columns.filter((c: { drifted: boolean }) => c.drifted).length / 4);
    expect(parsed.datasetDrifted).toBe(parsed.driftedShare >= 0.5);
  });

  it("--method, --threshold and --columns apply to the chosen columns only", async () => {
    const r = await run([
      "--reference",
      "ref.csv",
      "--current",
      "cur.csv",
      "--method",
      "psi",
      "--threshold",
      "0.2",
      "--columns",
      "region, age",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    expect(
      parsed.columns.map((c: { column: string; method: string; threshold: number; pValue: null }) => [
        c.column,
        c.method,
        c.threshold,
        c.pValue,
      ]),
    ).toEqual([
      ["region", "psi", 0.2, null],
      ["age", "psi", 0.2, null],
    ]);
  });

  it("--benjamini-hochberg decides on the adjusted p-values and still prints the raw ones", async () => {
    const plain = JSON.parse((await run(["--reference", "ref.csv", "--current", "cur.csv", "--json"])).out);
    const r = await run(["--reference", "ref.csv", "--current", "cur.csv", "--benjamini-hochberg", "--json"]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    const table = (name: string) => {
      const t = parseCsvTable(files[name]!, name);
      return Object.fromEntries(t.names.map((n, i) => [n, t.columns[i]!]));
    };
    const expected = driftDataset(table("ref.csv"), table("cur.csv"), { benjaminiHochberg: true });
    expect(parsed.columns.map((c: { pValue: number }) => c.pValue)).toEqual(
      plain.columns.map((c: { pValue: number }) => c.pValue),
    );
    expect(parsed.columns.map((c: { drifted: boolean }) => c.drifted)).toEqual(
      expected.columns.map((c) => c.adjustedPValue! <= 0.05),
    );
    expect(parsed.driftedShare).toBe(expected.driftedShare);
  });

  it("prints a readable report with data quality without --json", async () => {
    const r = await run(["--reference", "ref.csv", "--current", "cur.csv"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^reference 40 rows, current 30 rows/);
    expect(r.out).toMatch(/age\s+numerical\s+ks\s+\d\.\d{4}\s+\S+\s+0\.0500\s+YES/);
    expect(r.out).toMatch(/region: new categories west in 20\.0% of rows/);
    expect(r.out).toMatch(/age: \d+ values outside the reference range/);
    expect(r.out).toMatch(/dataset drift (YES|no)/);
  });

  it.each([
    [["--current", "cur.csv"], /missing --reference REF\.csv/],
    [["--reference", "ref.csv"], /missing --current CUR\.csv/],
    [["--reference", "nope.csv", "--current", "cur.csv"], /cannot read --reference nope\.csv: ENOENT/],
    [
      ["--reference", "ref.csv", "--current", "cur.csv", "--method", "kl"],
      /--method: "kl" is not one of auto, ks, ztest, chisquare, wasserstein, jensenshannon, psi/,
    ],
    [
      ["--reference", "ref.csv", "--current", "cur.csv", "--threshold=-1"],
      /--threshold: "-1" is not a non-negative number/,
    ],
    [
      ["--reference", "ref.csv", "--current", "cur.csv", "--threshold", "abc"],
      /--threshold: "abc" is not a non-negative number/,
    ],
    [
      ["--reference", "ref.csv", "--current", "cur.csv", "--columns", "age,height"],
      /--columns: unknown column "height"; --reference has age, income, region, score/,
    ],
    [["--reference", "ref.csv", "--current", "cur.csv", "--bins", "3"], /--bins/],
  ])("exits 2 with a message naming the problem: %j", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage: ratchet drift/);
  });

  it.each([
    [
      "a column missing from the current file",
      { "c.csv": "age,income\n1,2\n" },
      ["--columns", "region"],
      /column "region" is not in --current/,
    ],
    [
      "a ragged row",
      { "c.csv": "age,income,region,score\n1,2,north\n" },
      [],
      /--current c\.csv, row 1 \(line 2\): expected 4 fields as in the header, found 3/,
    ],
    ["an empty file", { "c.csv": "" }, [], /--current c\.csv: the file is empty/],
    [
      "KS on a categorical column",
      { "c.csv": csv(30, true) },
      ["--method", "ks"],
      /column "region" is categorical; ks needs a numerical column/,
    ],
  ])("exits 2 on bad data: %s", async (_name, extra, flags, message) => {
    const r = await run(["--reference", "ref.csv", "--current", "c.csv", ...flags], extra);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("runs as `npx ratchet drift` on real files: JSON and exit code 0, exit code 2 on a missing file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ratchet-drift-"));
    writeFileSync(path.join(dir, "ref.csv"), files["ref.csv"]!);
    writeFileSync(path.join(dir, "cur.csv"), files["cur.csv"]!);
    const ratchet = (...args: string[]) =>
      spawnSync(process.execPath, ["server/cli/bin.mjs", "drift", ...args], { encoding: "utf8" });
    const ok = ratchet("--reference", path.join(dir, "ref.csv"), "--current", path.join(dir, "cur.csv"), "--json");
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).columns[2].newCategories).toEqual(["west"]);
    const missing = ratchet("--reference", path.join(dir, "missing.csv"), "--current", path.join(dir, "cur.csv"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --reference .*missing\.csv/);
  }, 60_000);
});
