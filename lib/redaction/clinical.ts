/**
 * Clinical categories (./policy.ts): the composer learns which they are, and a new topic, reply
 * or edit that adds an image there needs the member's "identifies no patient" confirmation.
 */
import { nodebb } from '../nodebb';
import { clinicalCategoryCids } from './policy';
import { CONFIRMATION_FIELD, requirePatientConfirmation, type PostSubmission } from './confirmation';
import { imagesAdded } from './images-in-content';
import { editedPost, type PostEditPayload } from './post-context';

// private-uploads reads the clinical categories from here (lib/private-uploads/destination.ts).
export { clinicalCategoryCids };

interface ClientConfig {
  physicianNetwork?: Record<string, unknown>;
  [key: string]: unknown;
}

/** filter:config.get: the composer's editor learns which categories are clinical. */
export async function addClinicalCategoriesToConfig(config: ClientConfig): Promise<ClientConfig> {
  config.physicianNetwork = { ...(config.physicianNetwork ?? {}), clinicalCids: await clinicalCategoryCids() };
  return config;
}

/** filter:topic.post: a new topic with an image in a clinical category needs the confirmation. */
export async function checkNewTopicConfirmation<T extends PostSubmission>(data: T): Promise<T> {
  return requirePatientConfirmation(data, await clinicalCategoryCids());
}

/** filter:topic.reply: the same for replies (core sets the cid only after this hook, so look it up). */
export async function checkReplyConfirmation<T extends PostSubmission & { tid?: unknown }>(data: T): Promise<T> {
  const cid = data.cid ?? await nodebb.topics.getTopicField(Number(data.tid), 'cid');
  const checked = requirePatientConfirmation({ ...data, cid }, await clinicalCategoryCids());
  if (data.cid === undefined) {
    delete checked.cid;
  }
  return checked;
}

/**
 * filter:post.edit (src/posts/edit.js): an edit that adds an image in a clinical category needs
 * the same confirmation as a new post. Images the post already showed need none again.
 */
export async function checkEditConfirmation(payload: PostEditPayload): Promise<PostEditPayload> {
  const edit = await editedPost(payload);
  if (!edit || !imagesAdded(edit.oldContent, edit.newContent).length) {
    return payload;
  }
  // New images are there, so the post shows one: what remains is the category and the member's tick.
  requirePatientConfirmation({ cid: edit.cid, content: edit.newContent, [CONFIRMATION_FIELD]: payload.data[CONFIRMATION_FIELD] }, await clinicalCategoryCids());
  return payload;
}
