// What the random-configuration generators ask of buildArch.
import { buildArch } from '../../arch/build.js';
import { LbamacError } from '../../core/errors.js';
import { resolveConfig } from '../../config/resolve.js';

/** buildArch takes the raw config (a configuration it refuses with a user error gives false). */
export function buildsArch(raw: Record<string, unknown>): boolean {
  try {
    buildArch(resolveConfig(raw));
    return true;
  } catch (e) {
    if (e instanceof LbamacError) return false;
    throw e;
  }
}
