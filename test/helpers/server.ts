/**
 * A tiny scripted node:http server on 127.0.0.1 for tests of timeouts, aborts, resets and retries
 * (things nock cannot simulate faithfully with undici). Each request is answered by the next
 * handler in the script (the last one repeats).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Step = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface ScriptedServer {
  url: string;
  /** Requests received, in order. */
  received: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function scriptedServer(steps: Step[]): Promise<ScriptedServer> {
  const received: ScriptedServer['received'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const i = received.length;
      received.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const step = steps[Math.min(i, steps.length - 1)]!;
      step(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

export const html =
  (status: number, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end('<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>');
  };

/** Destroys the socket before any response bytes. */
export const reset: Step = (req) => {
  req.socket.destroy();
};

/** Sends headers and half a body, then resets. */
export const resetMidBody: Step = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"ID":"1","na');
  setTimeout(() => req.socket.destroy(), 20);
};

/** Never answers. */
export const stall: Step = () => {};

/** Sends headers and part of the body, then stalls. */
export const stallBody: Step = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"ID":"1",');
};
