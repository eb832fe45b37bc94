/**
 * The physicians directory: verified members by specialty, paged, without those who opted out.
 *
 * Opt-outs are kept out of the listing indexes themselves (not filtered after reading), so
 * every page is full and the total is exact.
 */
import { nodebb } from '../nodebb';
import { UserFacingError } from '../common/user-error';
import { getMember } from './membership';
import { parseMember } from './model';
import { directoryPage, listMember, readMembers, unlistMember, writeDirectoryOptOut } from './store';
import { displayName, listSpecialties } from './taxonomy';

export const DIRECTORY_PAGE_SIZE = 50;

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Members choose in their settings whether the directory lists them. */
export async function setDirectoryOptOut(uid: number, optOut: boolean): Promise<void> {
  const member = await getMember(uid);
  if (!member.verified) {
    throw new UserFacingError('error.specialties-not-verified');
  }
  await writeDirectoryOptOut(uid, optOut);
  if (optOut) {
    await unlistMember(uid, member.specialties);
    return;
  }
  await listMember(uid, member.verifiedAt, member.specialties);
}

export interface DirectoryEntry {
  uid: number;
  username: string;
  userslug: string;
  picture: string;
  specialties: { slug: string; name: string; title: string }[];
}

export interface DirectoryPage {
  members: DirectoryEntry[];
  /** The filter applied, '' for all specialties. */
  specialty: string;
  page: number;
  pageCount: number;
  total: number;
}

/** One page of the directory, newest verified first, optionally for one specialty. Page numbers start at 1. */
export async function listDirectory(options: { specialty?: string; page?: number; perPage?: number } = {}): Promise<DirectoryPage> {
  const perPage = Math.min(Math.max(Math.trunc(options.perPage ?? DIRECTORY_PAGE_SIZE), 1), 200);
  const page = Math.max(Math.trunc(options.page ?? 1) || 1, 1);
  const records = await listSpecialties();
  const bySlug = new Map(records.map(r => [r.slug, r]));
  const specialty = options.specialty ?? '';
  if (specialty && !bySlug.has(specialty)) {
    throw new UserFacingError('error.specialties-unknown', [specialty]);
  }
  const start = (page - 1) * perPage;
  const { total, uids: numericUids } = await directoryPage(specialty, start, start + perPage - 1);
  const [rows, users] = numericUids.length
    ? await Promise.all([
      readMembers(numericUids),
      nodebb.user.getUsersFields(numericUids, ['uid', 'username', 'userslug', 'picture']),
    ])
    : [[], []];
  const members = numericUids.map((uid, i): DirectoryEntry => {
    const member = rows[i] ?? parseMember(null);
    const user = users[i] ?? {};
    return {
      uid,
      username: text(user.username),
      userslug: text(user.userslug),
      picture: text(user.picture),
      specialties: member.specialties.flatMap((slug) => {
        const record = bySlug.get(slug);
        return record ? [{ slug, name: displayName(record), title: record.title }] : [];
      }),
    };
  });
  return { members, specialty, page, pageCount: Math.max(Math.ceil(total / perPage), 1), total };
}
