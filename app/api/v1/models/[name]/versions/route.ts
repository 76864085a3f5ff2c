import { json } from "@/server/http/errors";
import { readJsonBody } from "@/server/http/body";
import { apiRoute } from "@/server/http/handler";
import { registerVersion } from "@/server/domain/registry/versions";
import { registerVersionInput } from "@/server/domain/registry/schemas";

export const POST = apiRoute<{ name: string }>("versions:write", async ({ req, ctx, params }) => {
  const input = registerVersionInput.parse(await readJsonBody(req));
  const version = await registerVersion(ctx, params.name, input);
  return json(version, 201, { location: `/api/v1/models/${params.name}/versions/${version.version}` });
});
