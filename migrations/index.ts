// The explicit registry of migrations, in order. Add new ones at the end; never edit old ones.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_teams_and_targets.js';
import * as m0003 from './0003_digests_and_celebrations.js';
import * as m0006 from './0006_fx_rates.js';
import * as m0004 from './0004_imports.js';
import * as m0007 from './0007_slack_installations.js';
import * as m0005 from './0005_bench_indexes.js';
import * as m0008 from './0008_workspace_version.js';
import * as m0009 from './0009_date_order.js';
import * as m0010 from './0010_celebration_posts.js';
import * as m0011 from './0011_team_dates.js';
import * as m0012 from './0012_crm_sources.js';
import * as m0013 from './0013_lookup_indexes.js';
import * as m0014 from './0014_weekly_rollup.js';
import * as m0015 from './0015_rep_versions.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_teams_and_targets': m0002,
  '0003_digests_and_celebrations': m0003,
  '0006_fx_rates': m0006,
  '0004_imports': m0004,
  '0007_slack_installations': m0007,
  '0005_bench_indexes': m0005,
  '0008_workspace_version': m0008,
  '0009_date_order': m0009,
  '0010_celebration_posts': m0010,
  '0011_team_dates': m0011,
  '0012_crm_sources': m0012,
  '0013_lookup_indexes': m0013,
  '0014_weekly_rollup': m0014,
  '0015_rep_versions': m0015,
};
