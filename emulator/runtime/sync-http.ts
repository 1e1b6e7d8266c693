/**
 * Synchronous outbound HTTP for N/https (SuiteScript's https calls block the script). A worker thread performs
 * the request; the calling thread waits on a SharedArrayBuffer with Atomics.wait and then reads the answer with
 * receiveMessageOnPort.
 *
 * Consequence: while a script waits, the calling thread's event loop is blocked, so the target server must run
 * on another thread or process (a server in the same thread would never answer; the call fails with a timeout).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { HttpRequestSpec, HttpResponseSpec } from './execution';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const flag = new Int32Array(workerData.shared);
const port = workerData.port;
port.on('message', (req) => {
  let done = false;
  const finish = (answer) => {
    if (done) return;
    done = true;
    port.postMessage(answer);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  try {
    const mod = req.url.startsWith('https:') ? https : http;
    const r = mod.request(req.url, { method: req.method, headers: req.headers, timeout: req.timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish({ ok: true, code: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish({ ok: false, message: e.message }));
    });
    r.on('timeout', () => r.destroy(new Error('timed out after ' + req.timeoutMs + ' ms')));
    r.on('error', (e) => finish({ ok: false, message: e.message }));
    if (req.body !== null) r.write(req.body);
    r.end();
  } catch (e) {
    finish({ ok: false, message: String(e && e.message || e) });
  }
});
`;

type Answer = { ok: true; code: number; headers: Record<string, string | string[]>; body: string } | { ok: false; message: string };

export class SyncHttpClient {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private flag: Int32Array | null = null;

  constructor(private readonly timeoutMs = 30000) {}

  private start(): void {
    const shared = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { shared, port: channel.port2 },
      transferList: [channel.port2],
    });
    this.worker.unref();
    this.port = channel.port1;
    this.port.unref();
    this.flag = new Int32Array(shared);
  }

  /** Performs the request and blocks until it completes; throws Error(message) on a network failure. */
  request(spec: HttpRequestSpec): HttpResponseSpec {
    if (!this.worker) this.start();
    const flag = this.flag as Int32Array;
    const port = this.port as MessagePort;
    Atomics.store(flag, 0, 0);
    port.postMessage({ ...spec, timeoutMs: this.timeoutMs });
    const waited = Atomics.wait(flag, 0, 0, this.timeoutMs + 1000);
    const message = receiveMessageOnPort(port);
    if (waited === 'timed-out' || !message) throw new Error(`no answer within ${this.timeoutMs} ms`);
    const answer = message.message as Answer;
    if (!answer.ok) throw new Error(answer.message);
    return { code: answer.code, headers: answer.headers, body: answer.body };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (w) await w.terminate();
  }
}
