import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import ErrorPage from "../error";

describe("the error page", () => {
  it("shows the digest Next hands it as the error id, which is the id in the server log", () => {
    const error = Object.assign(new Error("An error occurred in the Server Components render."), {
      digest: "3fa9c21b",
    });
    const html = renderToStaticMarkup(<ErrorPage error={error} reset={() => undefined} />);
    expect(html).toContain('error id <code data-testid="error-id" class="font-mono">3fa9c21b</code>');
  });

  it("claims no id for an error that happened in the browser (nothing was logged)", () => {
    const html = renderToStaticMarkup(<ErrorPage error={new Error("boom")} reset={() => undefined} />);
    expect(html).not.toContain("error id");
    expect(html).not.toContain("boom");
  });
});
