/**
 * The routes openapi/physician-network.yaml documents, as `<verb> /physician-network<path>`
 * with `{param}` written `:param`, so route tests can compare them with what is mounted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const spec = readFileSync(join(__dirname, '..', '..', '..', 'openapi', 'physician-network.yaml'), 'utf8');

/** Documented routes whose path starts with `/<section>` (e.g. `verification`, `seminars`). */
export function documentedRoutes(section: string): string[] {
  const routes: string[] = [];
  let path = '';
  for (const line of spec.split('\n')) {
    const pathMatch = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathMatch) {
      const candidate = pathMatch[1] ?? '';
      path = candidate === `/${section}` || candidate.startsWith(`/${section}/`) ? candidate : '';
      continue;
    }
    if (/^ {2}\S/.test(line)) {
      path = '';
    }
    const verb = /^ {4}(get|post|put|delete):/.exec(line);
    if (path && verb) {
      routes.push(`${verb[1] ?? ''} /physician-network${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
  }
  return routes.sort();
}
