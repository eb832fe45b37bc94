/**
 * NodeBB's own log, when the e2e run set the forum up itself (NODEBB_LOG_FILES, one file per
 * NodeBB process, in the order of NODEBB_URLS): specs assert what the plugin did, or did not,
 * log there.
 */
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';

/** The log files of the forum's NodeBB processes; empty when the forum is not ours (NODEBB_URL given). */
export function forumLogFiles(): string[] {
  return (process.env.NODEBB_LOG_FILES ?? '').split(delimiter).filter(file => file !== '');
}

/** The log's text, without terminal colour codes (in case colouring was left on). */
export function readForumLog(file: string): string {
  // eslint-disable-next-line no-control-regex
  return readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * The part of a process's log since it last started (NodeBB's "Initializing NodeBB v…" line):
 * a spec may restart the forum (the upgrade step does), and its log file keeps every start.
 */
export function sinceLastStart(log: string): string {
  const start = log.lastIndexOf('Initializing NodeBB v');
  return start < 0 ? log : log.slice(start);
}

/**
 * Error and warning lines that come from the plugin: its own (`[physician-network]`) and
 * NodeBB's report of a hook of ours that threw (`… in plugin 'nodebb-plugin-physician-network'`).
 * NodeBB's line format is `<ISO time> [<port>/<pid>] - <level>: <message>`.
 */
export function pluginProblems(log: string): string[] {
  return log.split('\n').filter(line => /\s-\s(error|warn):/.test(line) && line.includes('physician-network'));
}
