import Link from "next/link";
/**
 * What a person sees after an unexpected failure. `digest` is the id the server logged the failure under
 * (`[error <id>]`): for tRPC's internal errors the id logged with the cause, otherwise the digest Next
 * logs with the error (see instrumentation.ts). Errors thrown in the browser have no digest and no log.
 */
export function ErrorNotice({
  digest,
  reset,
  home = true,
}: {
  digest?: string | undefined;
  reset: () => void;
  home?: boolean;
}) {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      {digest ? (
        <p className="mt-2 text-slate-600">
          Something went wrong on our side (error id{" "}
          <code data-testid="error-id" className="font-mono">
            {digest}
          </code>
          ). Try again; if it persists, give the id to your administrator.
        </p>
      ) : (
        <p className="mt-2 text-slate-600">Something went wrong in this page. Try again, or reload it.</p>
      )}
      <p className="mt-4 flex justify-center gap-4">
        <button type="button" className="text-indigo-700 underline" onClick={() => reset()}>
          Try again
        </button>
        {home && <Link href="/models">Back to models</Link>}
      </p>
    </main>
  );
}
