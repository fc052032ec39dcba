// What every use case is handed: the app's deps and who may do what (Roles).
import type { Deps } from '../deps.js';
import type { Roles } from './roles.js';

export interface ServiceDeps extends Pick<Deps, 'config' | 'db' | 'clock'> {
  roles: Roles;
}
