/**
 * The addresses of the seminar pages, for the routes that serve them and the pages that link to them.
 */
export const SEMINARS_ROUTE = '/seminars';
export const SEMINARS_PAST_ROUTE = '/seminars/past';
export const SEMINARS_CALENDAR_ROUTE = '/seminars/calendar';
export const SEMINARS_CALENDAR_MONTH_ROUTE = '/seminars/calendar/:year/:month';
/** Registered before any /seminars/:param route, so "new" is never read as a topic id. */
export const NEW_SEMINAR_ROUTE = '/seminars/new';
export const EDIT_SEMINAR_ROUTE = '/seminars/:tid/edit';
