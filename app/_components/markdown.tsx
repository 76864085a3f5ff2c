import ReactMarkdown from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/**
 * Markdown written by people (model cards, version notes), shown to everyone who reads the registry: so it
 * is rendered sanitized. Raw HTML in the text is not rendered as HTML, and rehype-sanitize's GitHub-like
 * allow-list removes scripts, event handlers and `javascript:` links from whatever the Markdown produces.
 * GitHub-flavoured tables, task lists and strikethrough come from remark-gfm.
 */
export function Markdown({ text, testId }: { text: string; testId?: string }) {
  return (
    <div
      data-testid={testId}
      className="space-y-2 text-sm leading-relaxed text-slate-800 [&_a]:text-indigo-700 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-xs [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:text-base [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-auto [&_pre]:rounded-md [&_pre]:bg-slate-100 [&_pre]:p-2 [&_table]:text-xs [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2 [&_ul]:list-disc"
    >
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
