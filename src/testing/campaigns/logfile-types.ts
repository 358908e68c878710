/**
 * Logfile types and their columns, exactly as API §3.23 lists them (file order).
 */
export const LOGFILE_COLUMNS = {
  'cdm-attempts': [
    'id',
    'time',
    'mailingid',
    'profileid',
    'subprofileid',
    'databaseid',
    'collectionid',
    'senderdomain',
    'templateid',
    'tags',
    'email',
  ],
  'cdm-abuse': ['id', 'time', 'mail', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-click': [
    'id',
    'senderdomain',
    'time',
    'linkinfo',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-delivery': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-error': [
    'id',
    'time',
    'type',
    'status',
    'description',
    'code',
    'email',
    'tags',
    'senderdomain',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-impression': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'senderdomain',
    'profile',
    'subprofile',
    'template',
  ],
  'cdm-retry': ['id', 'time', 'attempt', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'cdm-unsubscribe': ['id', 'time', 'email', 'tags', 'senderdomain', 'profile', 'subprofile', 'template'],
  'pom-attempts': [
    'id',
    'time',
    'groupid',
    'mailingid',
    'profileid',
    'subprofileid',
    'databaseid',
    'collectionid',
    'senderdomain',
    'templateid',
    'documentid',
    'tags',
    'email',
  ],
  'pom-abuses': ['id', 'time', 'mail', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-clicks': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'linkinfo',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-deliveries': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-errors': [
    'id',
    'time',
    'type',
    'status',
    'description',
    'code',
    'content',
    'email',
    'tags',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-impressions': [
    'id',
    'time',
    'ip',
    'header',
    'email',
    'tags',
    'countrycode',
    'countryname',
    'regioncode',
    'city',
    'senderdomain',
    'groupid',
    'profile',
    'subprofile',
    'template',
    'document',
  ],
  'pom-retries': ['id', 'time', 'attempts', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
  'pom-unsubscribes': ['id', 'time', 'email', 'tags', 'senderdomain', 'groupid', 'profile', 'subprofile', 'template', 'document'],
} as const satisfies Record<string, readonly string[]>;

export type LogfileType = keyof typeof LOGFILE_COLUMNS;
export type CdmLogfileType = Extract<LogfileType, `cdm-${string}`>;
export type PomLogfileType = Extract<LogfileType, `pom-${string}`>;

export const LOGFILE_TYPES = Object.keys(LOGFILE_COLUMNS) as LogfileType[];

/** One logfile row, keyed by column name; numeric columns are numbers (API §3.22 JSON sample). */
export type LogfileRecord = Record<string, string | number>;

/** Columns written as JSON numbers (ID-like columns and counters); everything else is a string. */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set([
  'mailingid',
  'groupid',
  'profileid',
  'subprofileid',
  'databaseid',
  'collectionid',
  'templateid',
  'documentid',
  'profile',
  'subprofile',
  'template',
  'document',
  'attempts',
  'attempt',
  'linkinfo',
  'code',
]);

export function isLogfileType(value: string): value is LogfileType {
  return Object.hasOwn(LOGFILE_COLUMNS, value);
}

const FILE_RE = /^([a-z]+-[a-z]+)\.(\d{4}-\d{2}-\d{2})\.log$/;

/** Split `cdm-click.2017-03-08.log` into type and date; undefined when it is not a logfile name. */
export function parseLogfileName(name: string): { type: LogfileType; date: string } | undefined {
  const m = FILE_RE.exec(name);
  if (!m || !isLogfileType(m[1] as string)) return undefined;
  return { type: m[1] as LogfileType, date: m[2] as string };
}

export function logfileName(type: LogfileType, date: string): string {
  return `${type}.${date}.log`;
}
