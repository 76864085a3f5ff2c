import { z } from "zod";
import { reportInput } from "@/server/domain/reports/schemas";

// Public on purpose, like the OpenAPI document: the format holds no data and pipelines validate against it.
const schema = {
  $id: "/api/v1/reports/schema.json",
  title: "Ratchet evaluation report",
  ...z.toJSONSchema(reportInput, { io: "input", unrepresentable: "any" }),
};

export const GET = () => Response.json(schema, { headers: { "cache-control": "public, max-age=300" } });
