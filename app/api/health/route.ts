import { getDatabase } from "@/server/db";
import { healthResponse } from "@/server/health";

export const dynamic = "force-dynamic";

// Public on purpose: load balancers and the e2e runner poll it; it reveals only the database kind.
export const GET = () => healthResponse(getDatabase);
