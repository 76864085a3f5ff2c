import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

describe("Markdown written by people", () => {
  it("renders headings, emphasis, links and GitHub tables", () => {
    const html = render(
      "# Churn\n\n**Intended use:** retention. See [the runbook](https://wiki.example.com/churn).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    expect(html).toContain("<h1>Churn</h1>");
    expect(html).toContain("<strong>Intended use:</strong>");
    expect(html).toContain('<a href="https://wiki.example.com/churn">the runbook</a>');
    expect(html).toContain("<table>");
  });

  it("never renders a script, an event handler or a javascript: link", () => {
    const html = render(
      [
        "<script>alert('card')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click me](javascript:alert(document.cookie))",
        '<a href="javascript:alert(2)">raw link</a>',
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      ].join("\n\n"),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror=/i);
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).not.toMatch(/<img/i);
    // The link text survives, without a dangerous target.
    expect(html).toContain("click me");
  });
});
