/**
 * Turns an encoder's text chunks into a byte stream for an HTTP response body. Pull-based: the next rows
 * are read only when the client has taken the previous bytes, so a slow download holds back the database
 * cursor instead of filling the server's memory. Small chunks are batched to about `batchBytes` so a
 * million rows are not a million network writes. Cancelling the response stops the generator (its
 * `finally` blocks run, closing the cursor).
 */
export function textByteStream(chunks: AsyncGenerator<string>, batchBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let batch = "";
      while (batch.length < batchBytes) {
        const next = await chunks.next();
        if (next.done) {
          if (batch) controller.enqueue(encoder.encode(batch));
          controller.close();
          return;
        }
        batch += next.value;
      }
      controller.enqueue(encoder.encode(batch));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
