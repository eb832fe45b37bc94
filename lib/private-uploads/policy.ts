/**
 * Who may fetch a private upload: the one rule the private route applies.
 */
import { nodebb } from '../nodebb';
import type { PrivateUpload } from './model';

/**
 * May `uid` fetch the upload? Readers of at least one live post showing it, in the topic's
 * category as it is now (a deleted or scheduled topic by NodeBB's own rules); for a deleted post,
 * those who may see deleted posts there; before any post shows it, its uploader only.
 * One privilege check for the live posts' topics, a second only when that fails and a deleted
 * post shows the file. NodeBB's privileges.topics.filterTids reads the topics in one batch
 * through its object cache.
 */
export async function mayFetch(uid: number, record: PrivateUpload): Promise<boolean> {
  if (!record.references.length) {
    return uid > 0 && uid === record.uid;
  }
  const live = [...new Set(record.references.filter(r => !r.postDeleted).map(r => r.tid))];
  if (live.length && (await nodebb.privileges.topics.filterTids('topics:read', live, uid)).length) {
    return true;
  }
  const deleted = [...new Set(record.references.filter(r => r.postDeleted).map(r => r.tid))];
  return deleted.length > 0 && (await nodebb.privileges.topics.filterTids('posts:view_deleted', deleted, uid)).length > 0;
}
