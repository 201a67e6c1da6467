// A local stand-in for the object store's presigned PUT, for tests: a real HTTP server on
// 127.0.0.1 answering jsdom's real XMLHttpRequest, CORS preflight included (the SPA's
// origin differs from the store's, as in production). Plain JS with hand-written types
// (testServer.d.mts), so Node's types stay out of the SPA's type program.
// Paths choose the answer:
//   /ok/…          200, and the request is kept in `received`
//   /status/<n>/…  that status
//   /hold/…        no answer until `release()` (to cancel a PUT in flight)
//   /drop/…        the connection is closed without an answer (a network error)
import { createServer } from 'node:http';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'PUT',
  'Access-Control-Allow-Headers': 'Content-Type',
};

export async function startPutServer() {
  const received = [];
  const holding = [];
  let arrived = () => undefined;
  let arrival = new Promise((resolve) => (arrived = resolve));
  let aborted = () => undefined;
  let abortion = new Promise((resolve) => (aborted = resolve));

  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/drop/')) {
      req.socket.destroy();
      return;
    }
    if (path.startsWith('/hold/')) {
      holding.push(res);
      // The client closing the connection before any answer is how an abort looks here.
      res.on('close', () => {
        if (!res.writableEnded) aborted();
      });
      req.resume();
      arrived();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const status = /^\/status\/(\d{3})\//.exec(path);
      if (status) {
        res.writeHead(Number(status[1]), CORS).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      const body = Buffer.concat(chunks);
      received.push({ path, contentType: req.headers['content-type'] ?? null, text: body.toString('utf8'), size: body.length });
      res.writeHead(200, CORS).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    held: () => arrival,
    heldAborted: () => abortion,
    release: () => {
      for (const res of holding.splice(0)) if (!res.writableEnded && !res.destroyed) res.writeHead(200, CORS).end();
      arrival = new Promise((resolve) => (arrived = resolve));
      abortion = new Promise((resolve) => (aborted = resolve));
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of holding.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
