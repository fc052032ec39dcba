// The sandbox's Slack workspace: who is in it and which channels it has. An admin (a Slack
// workspace admin, as users.info says), two sales managers and eight reps in two teams, each
// with a name and a time zone, and the channels a sales org would have.
import type { FakeSlack } from '../slack-standin/fake-slack.js';

export const WORKSPACE = {
  teamId: 'T0SANDBOX',
  name: 'Acme Sales',
  domain: 'acme-sales',
  /** The workspace timezone Tally is started with (DEFAULT_TIMEZONE). */
  timezone: 'America/New_York',
  currency: 'USD',
  botToken: 'xoxb-sandbox-acme-sales',
  botUserId: 'U0TALLYBOT',
} as const;

export type SandboxRole = 'admin' | 'manager' | 'rep';

export interface SandboxUser {
  id: string;
  name: string;
  realName: string;
  title: string;
  tz: string;
  role: SandboxRole;
  team: 'east' | 'west' | null;
}

export const USERS: readonly SandboxUser[] = [
  { id: 'U0ADA', name: 'ada', realName: 'Ada Okafor', title: 'Head of Sales Ops', tz: 'America/New_York', role: 'admin', team: null },
  {
    id: 'U0MARCUS',
    name: 'marcus',
    realName: 'Marcus Bell',
    title: 'Sales Manager, East',
    tz: 'America/New_York',
    role: 'manager',
    team: 'east',
  },
  {
    id: 'U0PRIYA',
    name: 'priya',
    realName: 'Priya Shah',
    title: 'Sales Manager, West',
    tz: 'America/Los_Angeles',
    role: 'manager',
    team: 'west',
  },
  { id: 'U0RITA', name: 'rita', realName: 'Rita Alvarez', title: 'Account Executive', tz: 'America/Chicago', role: 'rep', team: 'east' },
  { id: 'U0JONAS', name: 'jonas', realName: 'Jonas Weber', title: 'Account Executive', tz: 'Europe/Berlin', role: 'rep', team: 'east' },
  { id: 'U0MEI', name: 'mei', realName: 'Mei Chen', title: 'Account Executive', tz: 'America/New_York', role: 'rep', team: 'east' },
  { id: 'U0SAM', name: 'sam', realName: 'Sam Carter', title: 'Account Executive', tz: 'America/Toronto', role: 'rep', team: 'east' },
  {
    id: 'U0DIEGO',
    name: 'diego',
    realName: 'Diego Ramos',
    title: 'Account Executive',
    tz: 'America/Los_Angeles',
    role: 'rep',
    team: 'west',
  },
  { id: 'U0AISHA', name: 'aisha', realName: 'Aisha Khan', title: 'Account Executive', tz: 'America/Denver', role: 'rep', team: 'west' },
  { id: 'U0TOM', name: 'tom', realName: 'Tom Nguyen', title: 'Account Executive', tz: 'America/Los_Angeles', role: 'rep', team: 'west' },
  { id: 'U0LENA', name: 'lena', realName: 'Lena Fischer', title: 'Account Executive', tz: 'America/Phoenix', role: 'rep', team: 'west' },
];

export const CHANNELS = {
  sales: { id: 'C0SALES', name: 'sales', topic: 'Wins, targets and the Monday digest' },
  east: { id: 'C0EAST', name: 'team-east', topic: 'East team: Rita, Jonas, Mei, Sam' },
  west: { id: 'C0WEST', name: 'team-west', topic: 'West team: Diego, Aisha, Tom, Lena' },
} as const;

export const usersWithRole = (role: SandboxRole) => USERS.filter((user) => user.role === role);
export const teamMembers = (team: 'east' | 'west') => USERS.filter((user) => user.team === team);
export const userByName = (name: string): SandboxUser => {
  const user = USERS.find((candidate) => candidate.name === name);
  if (user === undefined) throw new Error(`no sandbox user ${name}`);
  return user;
};

/** Puts the workspace into the stand-in: the bot's token, the people, the channels. */
export function addDirectory(slack: FakeSlack): void {
  const team = WORKSPACE.teamId;
  slack.addToken(WORKSPACE.botToken, { team_id: team, bot_user_id: WORKSPACE.botUserId });
  slack.addUser({ id: WORKSPACE.botUserId, team_id: team, name: 'tally', real_name: 'Tally', is_bot: true });
  for (const user of USERS) {
    slack.addUser({
      id: user.id,
      team_id: team,
      name: user.name,
      real_name: user.realName,
      tz: user.tz,
      is_admin: user.role === 'admin',
      email: `${user.name}@acme.example`,
    });
  }
  const everyone = [...USERS.map((user) => user.id), WORKSPACE.botUserId];
  const leads = usersWithRole('admin').map((user) => user.id);
  slack.addChannel({ id: CHANNELS.sales.id, name: CHANNELS.sales.name, team_id: team, members: everyone });
  for (const key of ['east', 'west'] as const) {
    const members = [...teamMembers(key).map((user) => user.id), ...leads, WORKSPACE.botUserId];
    slack.addChannel({ id: CHANNELS[key].id, name: CHANNELS[key].name, team_id: team, members });
  }
}
