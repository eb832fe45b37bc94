/**
 * Seminars: listings of courses, seminars and congresses, each the first post of a topic in a
 * seminar category, with RSVPs, reminders, calendar files and feeds. What library.ts and
 * start-up use; the rest of the folder is reached through these.
 *
 * routes.ts (HTTP) → service.ts (use cases, policy.ts first) → store.ts, rsvp.ts, feed.ts,
 * pending.ts… (keys.ts holds every key); view.ts, listing-view.ts, calendar-view.ts and
 * form-view.ts shape the pages; hooks.ts holds NodeBB's hooks, the jobs and start-up.
 */
export { routes } from './routes';
export { hooks, start } from './hooks';
