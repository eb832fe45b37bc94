/**
 * Lets a spec ask `npm run test:e2e` (test/e2e/run.ts, which owns the fresh forum's processes)
 * to run a NodeBB command on the stopped forum: the forum is stopped, `./nodebb <args>` runs,
 * the forum starts again, and the spec gets what the command printed. Mocha runs as run.ts's
 * child with an IPC channel; a forum given with NODEBB_URL has no such channel, and specs that
 * need it skip.
 */
import type { ChildProcess } from 'node:child_process';

interface OfflineRequest { kind: 'pn-forum-offline'; id: number; args: string[] }
interface OfflineAnswer { kind: 'pn-forum-offline-done'; id: number; output: string; error: string | null }

function isRequest(message: unknown): message is OfflineRequest {
  const m = message as Partial<OfflineRequest> | null;
  return typeof m === 'object' && m !== null && m.kind === 'pn-forum-offline' && typeof m.id === 'number' && Array.isArray(m.args);
}

function isAnswer(message: unknown): message is OfflineAnswer {
  const m = message as Partial<OfflineAnswer> | null;
  return typeof m === 'object' && m !== null && m.kind === 'pn-forum-offline-done' && typeof m.id === 'number';
}

// The channel must not keep mocha alive once the specs are done (mocha runs without --exit).
process.channel?.unref();

/** In the spec: can this run stop the forum for a command? */
export function forumControlAvailable(): boolean {
  return typeof process.send === 'function' && Boolean(process.env.NODEBB_DIR);
}

let nextId = 1;

/** In the spec: stops the forum, runs `./nodebb <args>`, starts it again; resolves with the command's output. */
export async function runNodeBBOffline(args: string[]): Promise<string> {
  const send = process.send?.bind(process);
  if (!send) {
    throw new Error('no forum control channel: run the spec through npm run test:e2e on a fresh forum');
  }
  const id = nextId;
  nextId += 1;
  process.channel?.ref();
  try {
    return await new Promise<string>((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if (!isAnswer(message) || message.id !== id) {
          return;
        }
        process.off('message', onMessage);
        if (message.error !== null) {
          reject(new Error(message.error));
        } else {
          resolve(message.output);
        }
      };
      process.on('message', onMessage);
      send({ kind: 'pn-forum-offline', id, args } satisfies OfflineRequest);
    });
  } finally {
    process.channel?.unref();
  }
}

/** In run.ts: answers the child's requests with `offline` (Forum.offline). */
export function serveForumControl(child: ChildProcess, offline: (args: string[]) => Promise<string>): void {
  child.on('message', (message: unknown) => {
    if (!isRequest(message)) {
      return;
    }
    void offline(message.args).then(
      output => ({ kind: 'pn-forum-offline-done', id: message.id, output, error: null }) satisfies OfflineAnswer,
      (err: unknown) => ({ kind: 'pn-forum-offline-done', id: message.id, output: '', error: err instanceof Error ? err.message : String(err) }) satisfies OfflineAnswer,
    ).then((answer) => { child.send(answer); });
  });
}
