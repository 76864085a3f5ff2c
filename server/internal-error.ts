import { randomUUID } from "node:crypto";

/**
 * An unexpected failure: the person sees a generic sentence with an id, the operator finds the detail
 * (SQL, stack) in the server log under the same id. Raw error text can carry table names, values or
 * file paths, so it never goes to the client.
 */
export function logInternalError(where: string, cause: unknown): string {
  const id = randomUUID().slice(0, 8);
  console.error(`[error ${id}] ${where}:`, cause);
  return id;
}

export const internalErrorMessage = (id: string) =>
  `Something went wrong on our side (error id ${id}). Try again; if it persists, give the id to your administrator.`;
