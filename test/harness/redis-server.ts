/**
 * A throwaway redis-server for the test run: free port, temp dir, no persistence.
 * When REDIS_URL is set, that server is used instead and nothing is started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now, on 127.0.0.1 (other engineers and forums share this machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => { reject(new Error(`redis-server did not start in ${timeoutMs} ms:\n${output}`)); }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started (is it installed?): ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${String(code)}:\n${output}`));
    });
  });
}

export async function startRedis(): Promise<RunningRedis> {
  const given = process.env.REDIS_URL;
  if (given) {
    return { url: given, stop: async () => { /* not ours to stop */ } };
  }
  return startFreshRedis();
}

/** Always a new, empty redis-server of our own (a test forum's database is never shared). */
export async function startFreshRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'pn-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'no', '--daemonize', 'no',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForReady(child, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => { resolve(); });
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
