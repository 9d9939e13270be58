// Every date and time is shown in the city's zone, whatever the browser's zone is.
export const TIME_ZONE = 'Asia/Shanghai';

export function dateTime(iso, language) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, {
    timeZone: TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
