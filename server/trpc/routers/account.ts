import { changePassword, changePasswordInput } from "@/server/domain/account/password";
import {
  beginMfaEnrollment,
  confirmMfaEnrollment,
  confirmMfaInput,
  disableMfa,
  disableMfaInput,
  mfaStatus,
} from "@/server/domain/account/mfa";
import { authorizedProcedure, router } from "../init";

/** The signed-in person's own account. Open to every role, and to people with a pending step to take. */
export const accountRouter = router({
  changePassword: authorizedProcedure("account:self")
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx, input)),
  mfaStatus: authorizedProcedure("account:self").query(({ ctx }) => mfaStatus(ctx)),
  beginMfa: authorizedProcedure("account:self").mutation(({ ctx }) => beginMfaEnrollment(ctx)),
  confirmMfa: authorizedProcedure("account:self")
    .input(confirmMfaInput)
    .mutation(({ ctx, input }) => confirmMfaEnrollment(ctx, input)),
  disableMfa: authorizedProcedure("account:self")
    .input(disableMfaInput)
    .mutation(({ ctx, input }) => disableMfa(ctx, input)),
});
