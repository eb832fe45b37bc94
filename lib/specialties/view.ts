/**
 * The specialties capability's page models: the /physicians directory and the ACP management
 * page, escaped at the one boundary (lib/common/page.ts `pageModel`); renderPage takes nothing else.
 */
import { escapedByNodeBB, pageModel, pluginText, type PageModel } from '../common/page';
import type { ProvisionedState, SpecialtyRecord } from './model';
import { ACCESS_POLICIES } from './policy';
import type { DirectoryView } from './service';
import { pageName } from './taxonomy';

/** The directory page: `records` are every specialty (names of members' old ones too), `offered` the filter's choices. */
export function directoryPageModel(view: DirectoryView, offered: readonly SpecialtyRecord[], records: readonly SpecialtyRecord[]): PageModel<object> {
  const { directory, member } = view;
  const bySlug = new Map(records.map(r => [r.slug, r]));
  return pageModel({
    title: pluginText('directory.title'),
    ...directory,
    members: directory.members.map(m => ({
      ...m,
      // NodeBB's user data escaped these.
      username: escapedByNodeBB(m.username),
      picture: escapedByNodeBB(m.picture),
      specialties: m.specialties.map((s) => {
        const record = bySlug.get(s.slug);
        return { ...s, name: record ? pageName(record) : s.name };
      }),
    })),
    specialties: offered.map(r => ({ slug: r.slug, name: pageName(r), selected: r.slug === directory.specialty })),
    isVerifiedMember: member.verified,
    listed: member.verified && !member.directoryOptOut,
    pagination: {
      prev: directory.page > 1 ? directory.page - 1 : 0,
      next: directory.page < directory.pageCount ? directory.page + 1 : 0,
    },
  });
}

/** The ACP page: every specialty in the admin's order, with its policy choices and merge targets. */
export function acpSpecialtiesModel(records: readonly SpecialtyRecord[], state: ProvisionedState): PageModel<object> {
  const byOrder = [...records].sort((a, b) => a.order - b.order);
  return pageModel({
    title: pluginText('acp.specialties.title'),
    provisioned: state.parentCid > 0,
    specialties: byOrder.map(r => ({
      ...r,
      displayName: pageName(r),
      moderatorList: r.moderators.join(', '),
      policies: ACCESS_POLICIES.map(policy => ({ value: policy, selected: policy === r.policy })),
      mergeTargets: byOrder.filter(t => t.slug !== r.slug && !t.mergedInto).map(t => ({ slug: t.slug, name: pageName(t) })),
    })),
  });
}
