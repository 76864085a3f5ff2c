import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button } from "./button";

// The server's HTML is what a person can click before the page's scripts have run.
describe("a button in the server's HTML, before hydration", () => {
  it("is disabled when it needs React: a submit React handles would go to the browser as a GET with every field", () => {
    expect(renderToStaticMarkup(<Button type="submit">Sign in</Button>)).toMatch(/<button[^>]* disabled=""/);
    expect(renderToStaticMarkup(<Button onClick={() => undefined}>Approve</Button>)).toMatch(/ disabled=""/);
  });

  it("is enabled when it submits a plain HTML form, which works without scripts", () => {
    expect(
      renderToStaticMarkup(
        <Button type="submit" worksWithoutScript>
          Filter
        </Button>,
      ),
    ).not.toMatch(/ disabled=""/);
  });

  it("leaves a link styled as a button alone, and keeps a button disabled for its own reason", () => {
    expect(
      renderToStaticMarkup(
        <Button asChild>
          <a href="https://example.com/docs">Docs</a>
        </Button>,
      ),
    ).not.toMatch(/ disabled=""/);
    expect(
      renderToStaticMarkup(
        <Button worksWithoutScript disabled>
          Filter
        </Button>,
      ),
    ).toMatch(/ disabled=""/);
  });
});
