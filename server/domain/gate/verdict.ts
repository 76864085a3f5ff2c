import { z } from "zod";
import { coercedPositiveInt32 } from "../ints";
import { authorize, type DomainContext } from "../context";
import { modelName } from "../registry/schemas";
import { previewGate } from "./preview";

/**
 * The gate as a pipeline reads it (`GET /api/v1/models/{name}/versions/{v}/gate`, `npx ratchet gate`): the
 * same checks as the version's page, each with its one-line summary; the page's detail tables stay there.
 */
const checkStatus = z.enum(["pass", "fail", "insufficient"]);

export const gateVerdictSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  status: checkStatus.describe("fail when any check fails, else insufficient when evidence is missing, else pass"),
  checks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: checkStatus,
      summary: z.string(),
    }),
  ),
});
export type GateVerdict = z.infer<typeof gateVerdictSchema>;

/** The path's parameters, coerced: a version that is not a positive whole number is a 400 naming `version`. */
export const gateVerdictInput = z.object({ model: modelName, version: coercedPositiveInt32() });

export async function gateVerdict(ctx: DomainContext, raw: z.input<typeof gateVerdictInput>): Promise<GateVerdict> {
  authorize(ctx, "registry:read");
  const input = gateVerdictInput.parse(raw);
  const { model, version, gate } = await previewGate(ctx, input.model, input.version);
  return {
    model,
    version,
    status: gate.status,
    checks: gate.checks.map(({ id, name, status, summary }) => ({ id, name, status, summary })),
  };
}
