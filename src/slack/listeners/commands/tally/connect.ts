// `/tally connect`: the CRM sources (docs/rules.md#sources) an admin connects, rotates, removes and maps.
import { connectSource, mapPipedriveOwner, removeSource, rotateSource, sourceLog, sourcesOf } from '../../../../services/sources.js';
import { ownerMappedMessage, sourceCredentialsMessage, sourceLogMessage, sourcesListMessage } from '../../../views/sources.js';
import { sourceRemovedMessage } from '../../../views/tally-replies.js';
import { tellAboutSources } from '../../../webhooks.js';
import type { TallyHandlers } from './request.js';

export const connectCommands: TallyHandlers<
  'connect.list' | 'connect.add' | 'connect.rotate' | 'connect.remove' | 'connect.log' | 'connect.map'
> = {
  'connect.list': async ({ deps, actor }) => sourcesListMessage(await sourcesOf(deps, actor)),
  'connect.add': async ({ deps, actor, parsed }) => {
    const { source, secret } = await connectSource(deps, actor, { kind: parsed.source, name: parsed.name });
    return sourceCredentialsMessage(source, secret, false);
  },
  'connect.rotate': async ({ deps, actor, parsed }) => {
    const { source, secret } = await rotateSource(deps, actor, { name: parsed.name });
    return sourceCredentialsMessage(source, secret, true);
  },
  'connect.remove': async ({ deps, actor, parsed }) => sourceRemovedMessage(await removeSource(deps, actor, { name: parsed.name })),
  'connect.log': async ({ deps, actor, parsed }) => {
    const { source, deliveries } = await sourceLog(deps, actor, { name: parsed.name });
    return sourceLogMessage(source, deliveries);
  },
  'connect.map': async ({ sources, client, actor, parsed }) => {
    const mapped = await mapPipedriveOwner(sources, client, actor, { name: parsed.name, ownerId: parsed.ownerId, userId: parsed.userId });
    tellAboutSources(sources, actor.teamId, mapped.notices);
    return ownerMappedMessage(mapped.source, parsed.ownerId, parsed.userId, mapped.logged, mapped.refused);
  },
};
