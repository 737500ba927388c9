/**
 * The summary `quorum simulate` prints for a planner: per host and threshold group the count against
 * the threshold and the first day below it, the clients' states over time, the requests per host,
 * the busiest hour and the notable moments.
 */
import type { SimResult } from './sim-result.js';

const pct = (n: number, of: number) => (of === 0 ? '-' : `${Math.round((100 * n) / of)}%`);
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
const dayText = (d: number | null) => (d === null ? '-' : `day ${d}`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Days shown in the daily table: all of a short run, else weekly plus the last day. */
export function shownDays(days: number): number[] {
  if (days <= 31) return Array.from({ length: days }, (_, i) => i);
  const out = [];
  for (let d = 0; d < days; d += 7) out.push(d);
  if (out.at(-1) !== days - 1) out.push(days - 1);
  return out;
}

export function formatSummary(r: SimResult): string {
  const s = r.scenario;
  const lines: string[] = [];
  lines.push(
    `Rehearsal ${s.name}: ${s.days} days from ${when(s.start).slice(0, 10)}, seed ${s.seed}, ${r.totals.clients} clients, ${r.hosts.length} host${r.hosts.length === 1 ? '' : 's'}`,
  );
  if (s.description) lines.push(s.description);
  lines.push('', 'Count against the threshold, per host (the engine’s count at the end of each day)');
  lines.push(
    table(
      ['host', 'group', 'threshold', 'first met', 'first below', 'lowest', 'highest', 'last day'],
      r.groups.map((g) => [
        g.host,
        g.label,
        String(g.threshold),
        dayText(g.firstReachedDay),
        dayText(g.firstBelowDay),
        String(Math.min(...g.count)),
        String(Math.max(...g.count)),
        String(g.count.at(-1) ?? 0),
      ]),
    ),
  );
  const c = r.clients;
  lines.push(
    '',
    'Clients at the end of each day (shares of those present), and each host’s requests that day (answered/not granted)',
  );
  lines.push(
    table(
      ['day', 'present', 'activated', 'in grace', 'unlicensed', 'retrying', 'away', ...r.hosts.map((h) => h.name)],
      shownDays(s.days).map((d) => [
        String(d),
        String(c.present[d]),
        pct(c.activated[d]!, c.present[d]!),
        pct(c.grace[d]!, c.present[d]!),
        pct(c.unlicensed[d]!, c.present[d]!),
        pct(c.retrying[d]!, c.present[d]!),
        String(c.away[d]),
        ...r.hosts.map((h) => `${h.requests[d]}/${h.failed[d]}`),
      ]),
    ),
  );
  lines.push('', 'Requests per host');
  lines.push(
    table(
      ['host', 'priority', 'weight', 'answered', 'not granted', 'unreachable', 'busiest day'],
      r.hosts.map((h) => {
        const busiest = h.requests.reduce((best, n, i) => (n > h.requests[best]! ? i : best), 0);
        return [
          h.name,
          String(h.priority),
          String(h.weight),
          String(h.totalRequests),
          String(h.failed.reduce((a, b) => a + b, 0)),
          String(h.unreachable.reduce((a, b) => a + b, 0)),
          `day ${busiest} (${h.requests[busiest] ?? 0})`,
        ];
      }),
    ),
  );
  lines.push(
    '',
    `Busiest hour: ${r.peakHour.requests} requests from ${when(r.peakHour.at)} (all hosts). Attempts not activated: ${r.totals.failedAttempts}.`,
  );
  lines.push('', 'Notable moments');
  if (r.moments.length === 0) lines.push('  none');
  for (const m of r.moments) lines.push(`  day ${m.day.toFixed(2).padStart(7)}  ${when(m.at)}  ${m.text}`);
  lines.push('', `Simulated in ${(r.run.elapsedMs / 1000).toFixed(1)} s, ${r.run.heapUsedMb} MB heap.`);
  return lines.join('\n');
}

/** The series as CSV files: name -> content. */
export function resultCsv(r: SimResult): Record<string, string> {
  const daily = ['day', 'date', 'present', 'activated', 'grace', 'unlicensed', 'retrying', 'away'];
  for (const g of r.groups) daily.push(`count ${g.host} ${g.label}`);
  for (const h of r.hosts) daily.push(`requests ${h.name}`, `not granted ${h.name}`, `unreachable ${h.name}`);
  const rows = [daily.map(csvCell).join(',')];
  for (let d = 0; d < r.scenario.days; d++) {
    const c = r.clients;
    const cells: (string | number)[] = [d, when(r.scenario.start + d * 86_400_000).slice(0, 10)];
    cells.push(c.present[d]!, c.activated[d]!, c.grace[d]!, c.unlicensed[d]!, c.retrying[d]!, c.away[d]!);
    for (const g of r.groups) cells.push(g.count[d]!);
    for (const h of r.hosts) cells.push(h.requests[d]!, h.failed[d]!, h.unreachable[d]!);
    rows.push(cells.map((v) => csvCell(String(v))).join(','));
  }
  const hourly = [
    'hour start,requests',
    ...r.requestsPerHour.map((n, i) => `${new Date(r.scenario.start + i * 3_600_000).toISOString()},${n}`),
  ];
  const moments = [
    'at,day,kind,host,group,text',
    ...r.moments.map((m) =>
      [new Date(m.at).toISOString(), String(m.day), m.kind, m.host ?? '', m.group ?? '', m.text].map(csvCell).join(','),
    ),
  ];
  return {
    'daily.csv': `${rows.join('\n')}\n`,
    'hourly.csv': `${hourly.join('\n')}\n`,
    'moments.csv': `${moments.join('\n')}\n`,
  };
}

function csvCell(v: string): string {
  // A leading = + - @ would be a formula to a spreadsheet.
  const safe = /^[=+\-@]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
