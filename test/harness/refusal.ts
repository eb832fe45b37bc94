/**
 * The refusal `work` ends in: it must reject with a UserFacingError (a translated message),
 * never resolve and never throw anything else.
 */
import { expect } from 'chai';

import { UserFacingError } from '../../lib/common/user-error';

export async function refusal(work: Promise<unknown>): Promise<UserFacingError> {
  try {
    await work;
  } catch (err) {
    expect(err).to.be.instanceOf(UserFacingError);
    return err as UserFacingError;
  }
  throw new Error('expected a translated refusal');
}
