import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { API_ROUTES } from "@/server/http/routes";

/**
 * The /api/v1 route handlers behind a real HTTP listener on a free port, for tests of clients that run in
 * another process (the CLI with --url) or speak plain fetch (the generated client). The handlers are the
 * app's own route files, on the database the test set with setDatabase; only Next's routing is left out.
 */
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

interface Entry {
  method: string;
  pattern: RegExp;
  names: string[];
  file: string;
}

const entries: Entry[] = [
  ...API_ROUTES.map((r) => ({ method: r.method, template: r.path })),
  { method: "GET", template: "/api/v1/openapi.json" },
].map(({ method, template }) => {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const pattern = new RegExp(`^${template.replace(/\./g, "\\.").replace(/\{\w+\}/g, "([^/]+)")}$`);
  const file = path.join(process.cwd(), "app", template.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
  return { method, pattern, names, file };
});

async function toRequest(message: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const hasBody = message.method !== "GET" && message.method !== "HEAD";
  return new Request(new URL(message.url ?? "/", origin), {
    method: message.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

export interface ApiServer {
  url: string;
  close: () => Promise<void>;
}

export async function startApiServer(): Promise<ApiServer> {
  let origin = "";
  const server: Server = createServer((message, reply) => {
    void (async () => {
      try {
        const req = await toRequest(message, origin);
        const pathname = new URL(req.url).pathname;
        const entry = entries.find((e) => e.method === req.method && e.pattern.test(pathname));
        if (!entry) {
          reply
            .writeHead(404, { "content-type": "application/json" })
            .end('{"error":"not_found","message":"no route"}');
          return;
        }
        const values = entry.pattern.exec(pathname)!.slice(1).map(decodeURIComponent);
        const params = Object.fromEntries(entry.names.map((n, i) => [n, values[i]!]));
        const handler = ((await import(entry.file)) as Record<string, RouteHandler>)[entry.method]!;
        const res = await handler(req, { params: Promise.resolve(params) });
        reply.writeHead(res.status, Object.fromEntries(res.headers.entries()));
        reply.end(Buffer.from(await res.arrayBuffer()));
      } catch (error) {
        reply.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
