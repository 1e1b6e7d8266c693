/**
 * A real Express server on 127.0.0.1 in a worker thread. Scripts' N/https calls block the calling thread (as
 * SuiteScript's do), so a server they call must run on another thread. Received requests are posted back.
 */
import { Worker } from 'node:worker_threads';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const express = require('express');
const app = express();
app.use(express.text({ type: '*/*' }));
app.all('/{*path}', (req, res) => {
  parentPort.postMessage({ kind: 'request', request: { method: req.method, path: req.path, headers: req.headers, body: typeof req.body === 'string' ? req.body : '' } });
  res.set('x-fixture', 'yes');
  res.status(workerData.status).json({ received: true });
});
const server = app.listen(0, '127.0.0.1', () => parentPort.postMessage({ kind: 'ready', port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
`;

export interface PushServer {
  url: string;
  received: ReceivedRequest[];
  /** Lets queued worker messages arrive (they cannot while a script blocks the thread). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function startPushServer(status = 200): Promise<PushServer> {
  const worker = new Worker(SOURCE, { eval: true, workerData: { status } });
  const received: ReceivedRequest[] = [];
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { kind: string; port?: number; request?: ReceivedRequest }) => {
      if (m.kind === 'request' && m.request) received.push(m.request);
      if (m.kind === 'ready') {
        resolve({
          url: `http://127.0.0.1:${m.port}/`,
          received,
          settle: () => new Promise((r) => setTimeout(r, 50)),
          close: async () => {
            worker.postMessage('close');
            await new Promise((r) => worker.once('exit', r));
          },
        });
      }
    });
  });
}
