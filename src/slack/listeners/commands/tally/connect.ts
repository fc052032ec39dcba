// `/tally connect`: the CRM sources (docs/rules.md#sources) an admin connects, rotates, removes and maps.
import { connectSource, mapPipedriveOwner, removeSource, rotateSource, sourceLog, sourcesOf } from '../../../../services/sources.js';
import { ownerMappedMessage, sourceCredentialsMessage, sourceLogMessage, sourcesListMessage } from '../../../views/sources.js';
import { sourceRemovedMessage } from '../../../views/tally-replies.js';
import { tellAboutSources } from '../../../webhooks.js';
import type { TallyHandlers } from './request.js';

export const connectCommands: TallyHandlers<'connect.list' | 'connect.add' | 'connect.rotate' | 'connect.remove' | 'connect.log' | 'connect.map'> = {
  'connect.list': async ({ deps, client, actor }) => sourcesListMessage(await sourcesOf(deps, client, actor.teamId, actor.userId)),
  'connect.add': async ({ deps, client, actor, parsed }) => {
    const { source, secret } = await connectSource(deps, client, { teamId: actor.teamId, actorId: actor.userId, kind: parsed.source, name: parsed.name });
    return sourceCredentialsMessage(source, secret, false);
  },
  'connect.rotate': async ({ deps, client, actor, parsed }) => {
    const { source, secret } = await rotateSource(deps, client, { teamId: actor.teamId, actorId: actor.userId, name: parsed.name });
    return sourceCredentialsMessage(source, secret, true);
  },
  'connect.remove': async ({ deps, client, actor, parsed }) => sourceRemovedMessage(await removeSource(deps, client, { teamId: actor.teamId, actorId: actor.userId, name: parsed.name })),
  'connect.log': async ({ deps, client, actor, parsed }) => {
    const { source, deliveries } = await sourceLog(deps, client, { teamId: actor.teamId, actorId: actor.userId, name: parsed.name });
    return sourceLogMessage(source, deliveries);
  },
  'connect.map': async ({ sources, client, actor, parsed }) => {
    const mapped = await mapPipedriveOwner(sources, client, { teamId: actor.teamId, actorId: actor.userId, name: parsed.name, ownerId: parsed.ownerId, userId: parsed.userId });
    tellAboutSources(sources, actor.teamId, mapped.notices);
    return ownerMappedMessage(mapped.source, parsed.ownerId, parsed.userId, mapped.logged, mapped.refused);
  },
};
