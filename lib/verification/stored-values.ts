/**
 * Reading values back from NodeBB's database: hashes hand back strings (Redis, PostgreSQL) or
 * the types written (MongoDB), so every stored record of the capability is read through these.
 */

export function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function numberOrNull(value: unknown): number | null {
  const n = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(n) || n === 0 ? null : n;
}

export function jsonList(value: unknown): unknown[] {
  // Written as JSON text; a database that keeps types (Mongo) may hand back the array itself.
  if (Array.isArray(value)) {
    return value;
  }
  try {
    const parsed: unknown = JSON.parse(text(value) || '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function strings(value: unknown): string[] {
  return jsonList(value).filter((s): s is string => typeof s === 'string');
}
