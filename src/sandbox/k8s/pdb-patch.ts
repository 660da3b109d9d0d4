/**
 * PATCH of a PodDisruptionBudget (`kubectl patch pdb ledger -p '{"spec":{"maxUnavailable":1}}'`): how an SRE
 * frees a drain that a PDB holds, after the migration stopped naming it. Only the budget itself may change
 * (`spec.minAvailable` / `spec.maxUnavailable`, one of them, an integer or a percentage); anything else is refused
 * as the apiserver refuses an invalid object (422), so a test cannot change the world by a side door.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../scenario/types.js';
import { applyPatch, type PatchType } from './patch.js';
import { sendStatus } from './respond.js';

const BUDGET = /^(\d+|\d{1,3}%)$/;

function budgetValue(value: unknown): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && BUDGET.test(value)) return /%$/.test(value) ? value : Number(value);
  throw new Error(`must be a non-negative integer or a percentage, got ${JSON.stringify(value)}`);
}

/** Applies the patch to the stored PDB in place; answers 422 and changes nothing when it is not a budget change. */
export function patchPdb(res: ServerResponse, object: KubeObject, body: unknown, type: PatchType): boolean {
  const before = JSON.stringify({ ...object, spec: undefined, status: undefined });
  const patched = applyPatch(structuredClone(object), body, type) as KubeObject;
  const name = String(object.metadata?.name ?? '');
  const invalid = (message: string) => {
    sendStatus(res, 422, 'Invalid', `PodDisruptionBudget.policy "${name}" is invalid: ${message}`);
    return false;
  };
  if (JSON.stringify({ ...patched, spec: undefined, status: undefined }) !== before)
    return invalid('only spec.minAvailable and spec.maxUnavailable may be changed here');
  const spec = (patched.spec ?? {}) as Record<string, unknown>;
  const old = (object.spec ?? {}) as Record<string, unknown>;
  if (JSON.stringify(spec['selector']) !== JSON.stringify(old['selector']))
    return invalid('spec.selector: Forbidden: updates to the selector are not supported here');
  let minAvailable: number | string | undefined;
  let maxUnavailable: number | string | undefined;
  try {
    minAvailable = budgetValue(spec['minAvailable']);
    maxUnavailable = budgetValue(spec['maxUnavailable']);
  } catch (error) {
    return invalid(`spec: ${(error as Error).message}`);
  }
  if ((minAvailable === undefined) === (maxUnavailable === undefined))
    return invalid('spec: Invalid value: minAvailable and maxUnavailable cannot be both set (or both unset)');
  const next: Record<string, unknown> = { ...old };
  delete next['minAvailable'];
  delete next['maxUnavailable'];
  if (minAvailable !== undefined) next['minAvailable'] = minAvailable;
  if (maxUnavailable !== undefined) next['maxUnavailable'] = maxUnavailable;
  object.spec = next;
  return true;
}
