import { json } from "@/server/http/errors";
import { apiRoute, readJson } from "@/server/http/handler";
import { registerVersion } from "@/server/domain/registry/versions";
import { registerVersionInput } from "@/server/domain/registry/schemas";

export const POST = apiRoute<{ name: string }>("versions:write", async ({ req, ctx, params }) => {
  const input = registerVersionInput.parse(await readJson(req));
  const version = await registerVersion(ctx, params.name, input);
  return json(version, 201, { location: `/api/v1/models/${params.name}/versions/${version.version}` });
});
