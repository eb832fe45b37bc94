/**
 * The one verification service of the running plugin, wired to the specialties capability
 * (which keeps the verified members' group and specialties). Routes and hooks share it; tests
 * build their own with createVerificationService.
 */
import { getMember, removeVerification, setVerifiedSpecialties } from '../specialties/membership';
import { isOfferedSpecialty } from '../specialties/taxonomy';
import { createVerificationService, type VerificationService } from './service';

export const verificationService: VerificationService = createVerificationService({
  membership: {
    grantVerification: async (uid, slugs) => {
      await setVerifiedSpecialties(uid, slugs);
    },
    removeVerification,
    verificationOf: async (uid) => {
      const member = await getMember(uid);
      return { verified: member.verified, specialties: member.specialties };
    },
  },
  isKnownSpecialty: isOfferedSpecialty,
});
