// The one place dayjs is extended. Import `dayjs` from this module, never from 'dayjs',
// so every caller sees the same plugins.
import dayjs from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek.js';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(isoWeek);

export { dayjs };
export type { Dayjs } from 'dayjs';
export default dayjs;
