/**
 * The "Upcoming seminars" widget: the next few seminars the viewing member may read,
 * optionally in one specialty. NodeBB asks for the list of widgets in the ACP
 * (filter:widgets.getWidgets) and for each placed widget's HTML on every page that shows it
 * (filter:widget.render:<name>, with the viewer's uid and request).
 */
import { positiveId } from '../common/ids';
import type { Request } from 'express';

import { relativePath } from '../common/http';
import { pageModel, renderFragment, type Markup } from '../common/page';
import { listOfferedSpecialties, pageName } from '../specialties/taxonomy';
import { listingClock } from './listing-view';
import { SEMINARS_ROUTE } from './paths';
import { viewerZoneOf } from './viewer';
import { seminarRow, upcomingForWidget, type SeminarRow } from './view';

export const SEMINARS_WIDGET = 'physician-network-seminars';
export const WIDGET_DEFAULT_COUNT = 5;
export const WIDGET_MAX_COUNT = 20;

export interface WidgetDefinition {
  widget: string;
  name: string;
  description: string;
  /** The ACP form for the widget's own settings (HTML). */
  content: string;
}

/** What NodeBB passes to filter:widget.render:<name> (src/widgets/index.js); `html` is what it shows. */
export interface WidgetRenderPayload {
  uid: number | string;
  data: Record<string, unknown>;
  req?: Request;
  html?: string;
  [key: string]: unknown;
}

async function enabledSpecialties(): Promise<{ slug: string; name: string | Markup }[]> {
  return (await listOfferedSpecialties()).map(r => ({ slug: r.slug, name: pageName(r) }));
}

/** filter:widgets.getWidgets: offer the widget, with its settings form (count, specialty). */
export async function addSeminarsWidget(widgets: WidgetDefinition[]): Promise<WidgetDefinition[]> {
  const content = await renderFragment(`admin/widgets/${SEMINARS_WIDGET}`, pageModel({
    specialties: await enabledSpecialties(),
    defaultCount: WIDGET_DEFAULT_COUNT,
    maxCount: WIDGET_MAX_COUNT,
  }));
  return [...widgets, {
    widget: SEMINARS_WIDGET,
    name: '[[physician-network:seminars.widget.name]]',
    description: '[[physician-network:seminars.widget.description]]',
    content,
  }];
}

/** The widget's settings as stored by the ACP (strings), made safe: a bad count is the default, an unknown specialty none. */
export function widgetSettings(data: Record<string, unknown>, knownSpecialties: ReadonlySet<string>): { count: number; specialty: string } {
  const rawCount = typeof data.count === 'string' || typeof data.count === 'number' ? Number(data.count) : NaN;
  const count = Number.isInteger(rawCount) && rawCount >= 1 ? Math.min(rawCount, WIDGET_MAX_COUNT) : WIDGET_DEFAULT_COUNT;
  const specialty = typeof data.specialty === 'string' && knownSpecialties.has(data.specialty) ? data.specialty : '';
  return { count, specialty };
}

export interface WidgetData {
  seminars: SeminarRow[];
  viewerZone: string;
  specialty: string;
  specialtyName: string | Markup;
  /** Where "all seminars" leads (keeps the widget's specialty). */
  listPath: string;
  relative_path: string;
}

/** What the widget shows to this viewer. Guests and members see only seminars in categories they may read. */
export async function seminarsWidgetData(uid: number, data: Record<string, unknown>, req?: Request): Promise<WidgetData> {
  const specialties = await enabledSpecialties();
  const names = new Map(specialties.map(s => [s.slug, s.name]));
  const { count, specialty } = widgetSettings(data, new Set(names.keys()));
  const zone = req ? viewerZoneOf(req) : 'UTC';
  const now = listingClock.now();
  const seminars = await upcomingForWidget(uid, specialty ? { specialty, count, now } : { count, now });
  return {
    seminars: seminars.map(s => seminarRow(s, zone, names, now)),
    viewerZone: zone,
    specialty,
    specialtyName: names.get(specialty) ?? '',
    listPath: specialty ? `${SEMINARS_ROUTE}?specialty=${encodeURIComponent(specialty)}` : SEMINARS_ROUTE,
    relative_path: relativePath(),
  };
}

/** filter:widget.render:physician-network-seminars */
export async function renderSeminarsWidget(payload: WidgetRenderPayload): Promise<WidgetRenderPayload> {
  const viewer = positiveId(payload.uid);
  const data = await seminarsWidgetData(viewer, payload.data, payload.req);
  const html = await renderFragment(`widgets/${SEMINARS_WIDGET}`, pageModel(data));
  return { ...payload, html };
}
