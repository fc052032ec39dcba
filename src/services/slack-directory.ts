// What services need of Slack: who a person is (name, email, admin or owner, still a member).
// The Slack edge passes it in; a workspace's Web API client fits it as it is, and tests can
// hand in anything of this shape. Nothing under services/ imports Slack's packages.

/** A person as Slack's users.info and users.lookupByEmail describe them (the fields Tally reads). */
export interface SlackPerson {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

export interface SlackDirectory {
  users: {
    info(args: { user: string }): Promise<{ user?: SlackPerson }>;
    lookupByEmail(args: { email: string }): Promise<{ user?: SlackPerson }>;
  };
}
