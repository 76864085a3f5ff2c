import { parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { WINDOW_GRANULARITIES } from "@/server/domain/monitoring/schemas";

/**
 * The monitoring page's URL state, read by the page on the server and written by its controls on the
 * client with the same parsers. `?feature=NAME` is also what an alert links to: it selects the feature
 * and scrolls to its distributions.
 */
export const monitoringParams = {
  granularity: parseAsStringLiteral(WINDOW_GRANULARITIES).withDefault("day"),
  feature: parseAsString,
  version: parseAsInteger,
};
