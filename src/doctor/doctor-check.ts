/** One line of `wharf doctor`: what was checked, how it went, and what to do about it. */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  readonly name: string;
  readonly status: DoctorStatus;
  /** One plain sentence; never contains a secret value. */
  readonly message: string;
  /** What to do; absent when there is nothing to do. */
  readonly action?: string;
}

export interface DoctorReport {
  /** False when any check failed. */
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}

export function check(name: string, status: DoctorStatus, message: string, action?: string): DoctorCheck {
  return action === undefined ? { name, status, message } : { name, status, message, action };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
