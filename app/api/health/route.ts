import { getDatabase } from "@/server/db";
import { healthOf } from "@/server/health";

export const dynamic = "force-dynamic";

// Public on purpose: load balancers and the e2e runner poll it; it reveals only the database kind.
export async function GET() {
  try {
    return Response.json(await healthOf(await getDatabase()));
  } catch (error) {
    return Response.json({ status: "error", message: error instanceof Error ? error.message : String(error) }, { status: 503 });
  }
}
