/** A refusal or failure a pipeline command reports in one message (exit 2); `transient` ones are worth retrying. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}
