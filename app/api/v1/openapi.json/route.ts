import { openApiDocument } from "@/server/http/openapi";

// Public on purpose: the API's description holds no data and helps clients integrate.
export const GET = () => Response.json(openApiDocument());
