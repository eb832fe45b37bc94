/**
 * Entries for NodeBB's navigation editor (filter:navigation.available). Admins enable them;
 * each page checks who may see it, whatever the menu shows.
 */
export interface NavigationItem {
  route: string;
  title: string;
  enabled: boolean;
  iconClass: string;
  textClass: string;
  text: string;
  groups?: string[];
}

export async function addNavigationEntries(items: NavigationItem[]): Promise<NavigationItem[]> {
  return [
    ...items,
    {
      route: '/physicians',
      title: '[[physician-network:directory.title]]',
      enabled: false,
      iconClass: 'fa-user-doctor',
      textClass: 'd-lg-none',
      text: '[[physician-network:directory.title]]',
    },
    {
      route: '/me/physician-verification',
      title: '[[physician-network:verification.title]]',
      enabled: false,
      iconClass: 'fa-user-doctor',
      textClass: 'd-lg-none',
      text: '[[physician-network:verification.title]]',
    },
    {
      // The page answers 403 to non-reviewers; an admin may also limit the entry to groups here.
      route: '/physician-verification/queue',
      title: '[[physician-network:verification.queue.title]]',
      enabled: false,
      iconClass: 'fa-clipboard-check',
      textClass: 'd-lg-none',
      text: '[[physician-network:verification.queue.title]]',
    },
    {
      // Open to guests; the listing itself shows only seminars in categories the viewer may read.
      route: '/seminars',
      title: '[[physician-network:seminars.list.title]]',
      enabled: false,
      iconClass: 'fa-calendar-days',
      textClass: 'd-lg-none',
      text: '[[physician-network:seminars.list.title]]',
    },
  ];
}
