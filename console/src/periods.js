// The contract's period syntax (week:2026-W48, month:2026-11, year:2026, all) for a day chosen
// in the city's zone. ISO weeks belong to the week-based year of their Thursday.
import { TIME_ZONE } from './time.js';

export const PERIOD_KINDS = ['week', 'month', 'year', 'all'];

/** A board's other dimension: every category together, or one rule category. */
export const CATEGORIES = ['ALL', 'VOLUNTEER', 'STUDY', 'PARTY', 'CIVIC'];

/** The calendar day (year, month, day) a moment falls on in Asia/Shanghai. */
function cityDay(moment) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(moment)
    .reduce((all, p) => ({ ...all, [p.type]: Number(p.value) }), {});
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
}

function isoWeek(day) {
  const thursday = new Date(day);
  thursday.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function period(kind, moment = new Date()) {
  const day = cityDay(moment);
  const month = String(day.getUTCMonth() + 1).padStart(2, '0');
  if (kind === 'week') return `week:${isoWeek(day)}`;
  if (kind === 'month') return `month:${day.getUTCFullYear()}-${month}`;
  if (kind === 'year') return `year:${day.getUTCFullYear()}`;
  return 'all';
}
