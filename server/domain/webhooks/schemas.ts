import { z } from "zod";
import { EVENT_TYPES } from "../event-types";

/** Input schemas of the webhook verbs; the admin's form validates with these too (no database imports). */
export const createEndpointInput = z.object({
  url: z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" }).max(2000),
  events: z.array(z.enum(EVENT_TYPES)).min(1, "subscribe to at least one event"),
});
export const setEndpointActiveInput = z.object({ id: z.uuid(), active: z.boolean() });
