/**
 * How other components talk to a lab on the page, without loading the lab host:
 * dispatch LAB_RUN_EVENT on a lab's section to run it; listen for LAB_RESULT_EVENT.
 */
import type { ParamValues } from '../../labs/kernel/manifest';
import type { LabResult } from '../../labs/kernel/model';

/** Dispatched on a lab's section to run it with these values (merged over the form's). */
export const LAB_RUN_EVENT = 'lab:run';
/** Dispatched (bubbling) from a lab's section when a run's result is shown. */
export const LAB_RESULT_EVENT = 'lab:result';
export interface LabRunRequest {
  values: ParamValues;
  seed?: number;
}
export interface LabResultDetail {
  result: LabResult;
  values: ParamValues;
  seed: number;
}
