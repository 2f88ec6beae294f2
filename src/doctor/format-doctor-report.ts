import type { DoctorReport, DoctorStatus } from './doctor-check.js';

const MARK: Readonly<Record<DoctorStatus, string>> = { ok: '✔', warn: '!', fail: '✖' };

export interface FormatDoctorOptions {
  /** Which optional checks were asked for, to suggest the missing ones. */
  readonly url?: boolean;
  readonly wabaId?: boolean;
}

/** Pure: the report as readable lines (✔ ok, ! warning, ✖ failure), each followed by what to do. */
export function formatDoctorReport(report: DoctorReport, asked: FormatDoctorOptions = {}): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.name}: ${c.message}`);
    if (c.action !== undefined && c.status !== 'ok') lines.push(`    → ${c.action}`);
  }
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  lines.push(
    fails > 0
      ? `${fails} check(s) failed, ${warns} warning(s).`
      : warns > 0
        ? `No check failed; ${warns} warning(s).`
        : 'All checks passed.',
  );
  const more: string[] = [];
  if (!asked.url) more.push('--url <public callback URL> to try the verification handshake');
  if (!asked.wabaId) more.push('--waba-id <id> to check the WABA is subscribed to your app');
  if (more.length > 0) lines.push(`Also available: ${more.join('; ')}.`);
  return lines.join('\n');
}
