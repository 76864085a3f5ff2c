"use client";
// First: must run before any schema below is created (see the module).
import { zodResolver } from "@hookform/resolvers/zod";
import type { inferRouterOutputs } from "@trpc/server";
import { parseAsFloat, parseAsString, useQueryStates } from "nuqs";
import { useForm } from "react-hook-form";
import { z } from "zod";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../../../_components/data-table";
import { ago, when } from "../../../../_components/format";
import { FilterBar, SelectFilter, TagBadges, ToggleFilter } from "../../../../_components/list-filters";
import { Badge, Button, Input, Select } from "../../../../_components/ui";

type VersionRow = inferRouterOutputs<AppRouter>["models"]["versions"]["versions"][number];
export interface MetricSearch {
  metric: string;
  op: "gte" | "lte";
  value: number;
  kind: string;
}

const opLabel = { gte: "≥", lte: "≤" } as const;

function columnsFor(model: string, search: MetricSearch | null): DataColumn<VersionRow>[] {
  const columns: DataColumn<VersionRow>[] = [
    {
      id: "version",
      header: "Version",
      enableSorting: true,
      accessorFn: (v) => v.version,
      cell: ({ row }) => (
        <a href={`/models/${model}/versions/${row.original.version}`} className="font-medium">
          v{row.original.version}
        </a>
      ),
    },
    {
      id: "stage",
      header: "Stage",
      enableSorting: true,
      accessorFn: (v) => v.stage,
      cell: ({ row }) => (
        <span className="flex gap-1">
          <Badge>{row.original.stage}</Badge>
          {row.original.archivedAt && <Badge tone="retired">archived</Badge>}
        </span>
      ),
    },
    { id: "tags", header: "Tags", cell: ({ row }) => <TagBadges tags={row.original.tags} /> },
    { id: "author", header: "Author", cell: ({ row }) => row.original.author },
    {
      id: "createdAt",
      header: "Created",
      enableSorting: true,
      accessorFn: (v) => v.createdAt,
      cell: ({ row }) => (
        <span title={when(row.original.createdAt)} suppressHydrationWarning>
          {ago(row.original.createdAt)}
        </span>
      ),
    },
    { id: "dataset", header: "Training dataset", cell: ({ row }) => row.original.trainingDataset ?? "—" },
    {
      id: "commit",
      header: "Code commit",
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.codeCommit ?? "—"}</span>,
    },
  ];
  if (search) {
    columns.splice(3, 0, {
      id: "metric",
      header: `${search.metric} (${search.kind})`,
      cell: ({ row }) => (
        <span className="font-mono" data-testid="metric-value">
          {row.original.metricValue === null ? "—" : row.original.metricValue.toFixed(4)}
        </span>
      ),
    });
  }
  return columns;
}

const STAGES = ["candidate", "challenger", "champion", "retired"].map((s) => ({ value: s, label: s }));

export function VersionsTable({
  model,
  rows,
  total,
  pageSize,
  search,
  kinds,
  knownMetrics,
  filtered,
}: {
  model: string;
  rows: VersionRow[];
  total: number;
  pageSize: number;
  search: MetricSearch | null;
  kinds: string[];
  knownMetrics: string[];
  filtered: boolean;
}) {
  return (
    <>
      <FilterBar label="Filter versions">
        <SelectFilter param="stage" label="Stage" options={STAGES} />
        <TagFilterNote />
        <ToggleFilter param="archived" label="Show archived" onValue="include" />
      </FilterBar>
      <MetricSearchForm kinds={kinds} knownMetrics={knownMetrics} current={search} />
      <DataTable
        label="Versions"
        columns={columnsFor(model, search)}
        data={rows}
        total={total}
        pageSize={pageSize}
        rowId={(v) => v.id}
        pageLabel="Version pages"
        empty={filtered ? "No version matches these filters." : "No versions registered yet."}
      />
    </>
  );
}

/** The tag filter is set by clicking a tag; this shows it and clears it. */
function TagFilterNote() {
  const [{ tag }, set] = useQueryStates({ tag: parseAsString, page: parseAsString }, { shallow: false });
  if (!tag) return null;
  return (
    <span className="flex items-center gap-1 text-sm" data-testid="tag-filter">
      tag <Badge tone="tag">{tag}</Badge>
      <button
        type="button"
        className="text-indigo-700 hover:underline"
        onClick={() => void set({ tag: null, page: null })}
      >
        clear
      </button>
    </span>
  );
}

const metricParams = {
  metric: parseAsString,
  op: parseAsString,
  value: parseAsFloat,
  kind: parseAsString,
  page: parseAsString,
};

/** "auc ≥ 0.8 on holdout": checked while typing with the rules the server applies again. */
function MetricSearchForm({
  kinds,
  knownMetrics,
  current,
}: {
  kinds: string[];
  knownMetrics: string[];
  current: MetricSearch | null;
}) {
  const [, setParams] = useQueryStates(metricParams, { shallow: false });
  const schema = z.object({
    metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "a metric name such as auc or log_loss"),
    op: z.enum(["gte", "lte"]),
    value: z
      .string()
      .trim()
      .min(1, "enter a number")
      .refine((v) => Number.isFinite(Number(v)), "enter a number"),
    kind: z.string().refine((k) => kinds.includes(k), "choose a report kind"),
  });
  const form = useForm({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: {
      metric: current?.metric ?? "",
      op: current?.op ?? "gte",
      value: current ? String(current.value) : "",
      kind: current?.kind ?? "holdout",
    },
  });
  const errors = form.formState.errors;
  return (
    <form
      aria-label="Search by metric"
      className="mb-4 flex flex-wrap items-start gap-2 text-sm"
      onSubmit={form.handleSubmit(
        (f) => void setParams({ metric: f.metric, op: f.op, value: Number(f.value), kind: f.kind, page: null }),
      )}
    >
      <span className="py-1.5 text-slate-600">Metric</span>
      <div>
        <Input
          {...form.register("metric")}
          list="known-metrics"
          placeholder="auc"
          aria-label="Metric"
          aria-invalid={Boolean(errors.metric)}
          className="w-32"
        />
        <datalist id="known-metrics">
          {knownMetrics.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        {errors.metric && <p className="mt-1 text-xs text-red-700">{errors.metric.message}</p>}
      </div>
      <Select {...form.register("op")} aria-label="Comparison">
        <option value="gte">{opLabel.gte}</option>
        <option value="lte">{opLabel.lte}</option>
      </Select>
      <div>
        <Input
          {...form.register("value")}
          inputMode="decimal"
          placeholder="0.8"
          aria-label="Value"
          aria-invalid={Boolean(errors.value)}
          className="w-24"
        />
        {errors.value && <p className="mt-1 text-xs text-red-700">{errors.value.message}</p>}
      </div>
      <span className="py-1.5 text-slate-600">on</span>
      <Select {...form.register("kind")} aria-label="Report kind">
        {kinds.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </Select>
      <Button type="submit" variant="secondary">
        Search
      </Button>
      {current && (
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            form.reset({ metric: "", op: "gte", value: "", kind: "holdout" });
            void setParams({ metric: null, op: null, value: null, kind: null, page: null });
          }}
        >
          Clear
        </Button>
      )}
    </form>
  );
}
