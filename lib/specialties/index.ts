/**
 * Specialties: taxonomy, NodeBB structure (groups, categories, privileges), membership,
 * badges and directory. What library.ts and the verification capability use.
 */
export { DEFAULT_SPECIALTIES, type DefaultSpecialty } from './defaults';
export {
  ACCESS_POLICIES, CORE_CATEGORY_PRIVILEGES, ALL_GROUP_PRIVILEGES, VIEWING, POSTING, PUBLIC_GROUPS,
  VERIFIED_PHYSICIANS_GROUP, grantsForPolicy, loungeGrants, containerGrants, bindGrants, giveAndRescind,
  type AccessPolicy, type GroupPrivilege, type ManagedRole, type RoleGrants, type PrivilegeSet,
} from './policy';
export {
  listSpecialties, getSpecialty, seedDefaultTaxonomy, addSpecialty, reorderSpecialties, displayName, groupNameFor,
  type SpecialtyRecord, type NewSpecialty,
} from './taxonomy';
export { renameSpecialty, setSpecialtyOrder, setSpecialtyEnabled, setSpecialtyPolicy, mergeSpecialties, moveCategoryTopics, type MergeReport } from './admin';
export {
  provisionStructure, planPolicyChanges, applyPolicyPlan, setSpecialtyModerators, getProvisionedState,
  PARENT_CATEGORY_NAME, LOUNGE_CATEGORY_NAME,
  type ProvisionReport, type PrivilegePlan, type PrivilegeChange, type ProvisionedState,
} from './structure';
export {
  setVerifiedSpecialties, moveSpecialty, removeVerification, forgetDeletedMember, getMember, isVerifiedPhysician, type MemberRecord,
} from './membership';
export { undoUnauthorisedJoin, keepProtectedGroupsClosed, withPluginRename, type GroupJoinEvent, type GroupUpdateEvent } from './join-guard';
export {
  getPhysicianBadges, addBadgesToPosts, badgesOnTopicPosts, badgesOnPostSummaries, badgeOnProfile, type PhysicianBadge,
} from './badges';
export { setDirectoryOptOut, canViewDirectory, listDirectory, DIRECTORY_PAGE_SIZE, type DirectoryPage, type DirectoryEntry } from './directory';
