// `/tally help` and `/tally me [period]`.
import { isClosedPeriod } from '../../../../domain/period-arg.js';
import { productNames } from '../../../../services/admin.js';
import { repPeriodSnapshot, repSnapshot } from '../../../../services/progress.js';
import { helpMessage } from '../../../views/help.js';
import { myProgressMessage } from '../../../views/my-progress.js';
import { namedPeriod, type TallyHandlers } from './request.js';

export const meCommands: TallyHandlers<'help' | 'me'> = {
  help: async ({ deps, actor }) => helpMessage(await productNames(deps, actor.teamId)),
  me: async ({ deps, actor, parsed }) => {
    const workspace = await actor.workspace();
    if (parsed.period === null)
      return myProgressMessage({ currency: workspace.currency, ...(await repSnapshot(deps, workspace, actor.userId)) });
    const period = namedPeriod(parsed.period, actor.now, workspace);
    const snapshot = await repPeriodSnapshot(deps, workspace, actor.userId, period);
    return myProgressMessage({ currency: workspace.currency, period: { period, final: isClosedPeriod(period, actor.now) }, ...snapshot });
  },
};
