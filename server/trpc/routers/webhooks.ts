import {
  createEndpoint,
  createEndpointInput,
  listDeliveries,
  listDeliveriesInput,
  listEndpoints,
  setEndpointActive,
  setEndpointActiveInput,
} from "@/server/domain/webhooks/endpoints";
import { authorizedProcedure, router } from "../init";

export const webhooksRouter = router({
  list: authorizedProcedure("webhooks:manage").query(({ ctx }) => listEndpoints(ctx)),
  create: authorizedProcedure("webhooks:manage")
    .input(createEndpointInput)
    .mutation(({ ctx, input }) => createEndpoint(ctx, input)),
  setActive: authorizedProcedure("webhooks:manage")
    .input(setEndpointActiveInput)
    .mutation(({ ctx, input }) => setEndpointActive(ctx, input)),
  deliveries: authorizedProcedure("webhooks:manage")
    .input(listDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx, input)),
});
