/**
 * Longer generated ids (64 bits instead of 32), set before the first import: collaborators
 * create elements concurrently and their ids must not collide (COLLAB.md).
 */
import { Ids } from 'ids';

interface ModdleWithIds {
  ids: unknown;
}

function IdEntropy(moddle: ModdleWithIds): void {
  moddle.ids = new Ids([64, 36, 1]);
}
IdEntropy.$inject = ['moddle'];

export default {
  __init__: ['idEntropy'],
  idEntropy: ['type', IdEntropy]
};
