import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP receiver on 127.0.0.1 for integration and Playwright tests: records every request with
 * its raw body (signatures are over the exact bytes) and answers with whatever status `answer` picks.
 */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}
export type Answer = number | "hang";

export async function startReceiver(answer: (nth: number) => Answer | Promise<Answer> = () => 200) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      void Promise.resolve(answer(received.length)).then((status) => {
        if (status !== "hang") res.writeHead(status, { "content-type": "text/plain" }).end("ok");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // a "hang" answer would otherwise keep close() waiting forever
        server.close(() => resolve());
      }),
  };
}
