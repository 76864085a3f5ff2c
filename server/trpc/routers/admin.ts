import {
  createApiKey,
  createKeyInput,
  listApiKeys,
  listKeysInput,
  revokeApiKey,
  revokeKeyInput,
} from "@/server/domain/admin/apiKeys";
import {
  createUser,
  createUserInput,
  forcePasswordReset,
  forcePasswordResetInput,
  listUsers,
  listUsersInput,
  setDisabled,
  setDisabledInput,
  setRoles,
  setRolesInput,
} from "@/server/domain/admin/users";
import { authorizedProcedure, router } from "../init";

export const adminRouter = router({
  users: authorizedProcedure("users:manage")
    .input(listUsersInput)
    .query(({ ctx, input }) => listUsers(ctx, input)),
  createUser: authorizedProcedure("users:manage")
    .input(createUserInput)
    .mutation(({ ctx, input }) => createUser(ctx, input)),
  setRoles: authorizedProcedure("users:manage")
    .input(setRolesInput)
    .mutation(({ ctx, input }) => setRoles(ctx, input)),
  setDisabled: authorizedProcedure("users:manage")
    .input(setDisabledInput)
    .mutation(({ ctx, input }) => setDisabled(ctx, input)),
  forcePasswordReset: authorizedProcedure("users:manage")
    .input(forcePasswordResetInput)
    .mutation(({ ctx, input }) => forcePasswordReset(ctx, input)),
  keys: authorizedProcedure("keys:manage")
    .input(listKeysInput)
    .query(({ ctx, input }) => listApiKeys(ctx, input)),
  createKey: authorizedProcedure("keys:manage")
    .input(createKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),
  revokeKey: authorizedProcedure("keys:manage")
    .input(revokeKeyInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
});
