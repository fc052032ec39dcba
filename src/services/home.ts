// What App Home shows a person (docs/rules.md#roles): their own targets, pace and
// projection, their last sales; for managers the team, products and reps behind pace.
import type { Role, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { recentSalesOfRep, type SaleWithProduct } from '../store/sales.js';
import { currentLeaderboard, type Leaderboard, type LeaderboardEntry } from './leaderboard.js';
import { flaggedProducts, productAnalysis, type ProductRow } from './products.js';
import { repSnapshot, type RepSnapshot } from './progress.js';

export interface ManagerHome {
  board: Leaderboard;
  behind: LeaderboardEntry[];
  products: ProductRow[];
}

export interface HomeData {
  userId: string;
  role: Role;
  workspace: Workspace;
  snapshot: RepSnapshot;
  recentSales: SaleWithProduct[];
  manager: ManagerHome | null;
}

export async function homeData(deps: Pick<Deps, 'db' | 'clock'>, workspace: Workspace, userId: string, role: Role): Promise<HomeData> {
  const [snapshot, recentSales] = await Promise.all([
    repSnapshot(deps, workspace, userId),
    recentSalesOfRep(deps.db, workspace.team_id, userId, 10),
  ]);
  let manager: ManagerHome | null = null;
  if (role !== 'rep') {
    const board = await currentLeaderboard(deps, workspace, { kind: 'month', viewerId: userId, top: 15 });
    const products = flaggedProducts(await productAnalysis(deps, workspace, deps.clock.now()));
    manager = { board, behind: board.ranked.filter((r) => r.measure?.status === 'behind'), products };
  }
  return { userId, role, workspace, snapshot, recentSales, manager };
}
