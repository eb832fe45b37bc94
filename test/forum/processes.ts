/**
 * Child processes for the test forum: commands that must succeed (npm, ./nodebb setup),
 * servers that run until stopped (NodeBB, PostgreSQL), and one teardown list that stops
 * everything we started, in reverse order, also on failure or Ctrl-C.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, openSync, closeSync, readFileSync, existsSync } from 'node:fs';

/** The last lines of a log, to put in an error message. */
export function logTail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

export function fileTail(path: string, lines = 40): string {
  return existsSync(path) ? logTail(readFileSync(path, 'utf8'), lines) : '(no log)';
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Everything the command prints is appended here too. */
  logFile?: string;
  /** Run as this user (root starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** Commands running now: a signal's teardown stops them too (a kill reaches only us, not them). */
const runningCommands = new Set<ChildProcess>();

/** Runs a command to its end; rejects with the command and the tail of its output when it fails. */
export async function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<string> {
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] };
  if (options.uid !== undefined) {
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid;
  }
  const child = spawn(command, args, spawnOptions);
  runningCommands.add(child);
  child.once('exit', () => { runningCommands.delete(child); });
  const logStream = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
    // Only the tail is ever shown; keep memory bounded for chatty commands (npm, webpack).
    if (output.length > 200_000) {
      output = output.slice(-100_000);
    }
    logStream?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s:\n${logTail(output)}`));
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${command}: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) {
          resolve();
        } else {
          reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${String(code)}`}):\n${logTail(output)}`));
        }
      });
    });
  } finally {
    logStream?.end();
  }
  return output;
}

export interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (at once if it already has). */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts a long-running server with its output in `logFile`. It gets a process group of its
 * own, so stopping it also stops whatever it forked, and a terminal's Ctrl-C reaches us first
 * (we then stop it in order, after what depends on it).
 */
export function startServer(name: string, command: string, args: string[], options: CommandOptions & { logFile: string; stopSignal?: NodeJS.Signals }): Server {
  const fd = openSync(options.logFile, 'a');
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', fd, fd], detached: true };
  if (options.uid !== undefined) {
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid;
  }
  const child = spawn(command, args, spawnOptions);
  closeSync(fd);
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => { exited = true; resolve(); });
    child.once('error', () => { exited = true; resolve(); });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) {
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    child,
    exited: exitedPromise,
    hasExited: () => exited,
    stop: async () => {
      if (exited) {
        return;
      }
      signalGroup(options.stopSignal ?? 'SIGTERM');
      const killed = await Promise.race([exitedPromise.then(() => true), new Promise<boolean>((resolve) => { setTimeout(() => { resolve(false); }, 15_000).unref(); })]);
      if (!killed) {
        signalGroup('SIGKILL');
        await exitedPromise;
      }
    },
  };
}

/** What to undo, newest first. Each step runs even when an earlier one failed. */
export class Teardown {
  private readonly steps: { what: string; undo: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(what: string, undo: () => Promise<void> | void): void {
    this.steps.push({ what, undo });
  }

  async run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step.undo();
        } catch (err) {
          process.stderr.write(`forum: could not ${step.what}: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    })();
    await this.running;
    this.running = null;
  }

  /** On Ctrl-C or a kill, undo everything, then exit with the conventional code. */
  runOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        process.stderr.write(`\nforum: ${signal}, stopping everything this run started…\n`);
        for (const child of runningCommands) {
          child.kill('SIGTERM');
        }
        void this.run().finally(() => { process.exit(signal === 'SIGINT' ? 130 : 143); });
      });
    }
  }
}
