import { encodeCsv, encodeJsonl, exportLabels, exportQuery, textByteStream } from "@/server/domain/feedback-export";
import { apiRoute } from "@/server/http/handler";

const MEDIA_TYPES = { csv: "text/csv", jsonl: "application/x-ndjson" } as const;

/**
 * The model's labeled items for retraining, streamed as CSV or JSON Lines (`?format=csv|jsonl`, required),
 * optionally only one version's items (`version`), labels given in [`since`, `until`), or settled items
 * (`resolved=true`). One row per label, with its provenance. The rows are read from the database a page at
 * a time as the client downloads, so neither side holds the whole export.
 */
export const GET = apiRoute<{ name: string }>("feedback:read", async ({ req, ctx, params }) => {
  const query = exportQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  // Unknown model or version fail here with a 404, before the 200 and the first byte.
  const rows = await exportLabels(ctx, {
    model: params.name,
    version: query.version,
    since: query.since,
    until: query.until,
    resolved: query.resolved === "true",
  });
  const body = textByteStream(query.format === "csv" ? encodeCsv(rows) : encodeJsonl(rows));
  const file = `${params.name}${query.version ? `-v${query.version}` : ""}-labels.${query.format}`;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": `${MEDIA_TYPES[query.format]}; charset=utf-8`,
      "content-disposition": `attachment; filename="${file}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
