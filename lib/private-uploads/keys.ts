/**
 * Every database key private uploads read or write, in one place: the plugin's own (under
 * `physician-network:private-upload`) and the few of NodeBB core's that moving existing uploads
 * reads (its upload records and post lists) or rewrites (a post's content).
 */
import { createHash } from 'node:crypto';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** NodeBB's own key for an upload path (`upload:<md5 of /files/…>`, src/posts/uploads.js). */
const coreUpload = (name: string): string => `upload:${md5(`/files/${name}`)}`;

export const keys = {
  /**
   * Hash per private upload: uid, extension, mime, created (the uploader and what was stored);
   * `ref:<pid>` = `<tid>:<postDeleted 0|1>` for each post by the uploader that shows the file.
   */
  record: (id: string): string => `physician-network:private-upload:${id}`,
  /** Set per post: the private uploads it refers to. */
  postIndex: (pid: number): string => `physician-network:private-uploads:post:${pid}`,
  /** Set per topic: its posts that refer to a private upload. */
  topicIndex: (tid: number): string => `physician-network:private-uploads:topic:${tid}`,
  /** Hash: public name → private name of each upload already moved (privatise.ts resumes from it). */
  moved: 'physician-network:private-uploads:moved',

  /** NodeBB core's keys, read or written only when existing public uploads move. */
  core: {
    /** Hash per upload path: its uploader (`uid`). */
    upload: coreUpload,
    /** Sorted set per upload path: the posts NodeBB knows to show it. */
    uploadPids: (name: string): string => `${coreUpload(name)}:pids`,
    post: (pid: number): string => `post:${pid}`,
    topicPosts: (tid: number): string => `tid:${tid}:posts`,
    categoryTopics: (cid: number): string => `cid:${cid}:tids:lastposttime`,
    categories: 'categories:cid',
  },
};
