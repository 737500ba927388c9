/**
 * Reads a scenario from YAML text: syntax, then the schema, then the cross-references (an event
 * naming a fleet or host that does not exist). The first problem is reported as one error naming
 * the file, the line and column, and the field, e.g.
 * "office.yaml:12:11: fleets[0].size: expected a number, got "lots"".
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { QuorumError } from '../../shared/domain/errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

const HINT =
  'Fix that field (docs/simulator.md describes every field, docs/scenario.schema.json checks them in an editor).';

type Path = (string | number)[];

/** Clients in one rehearsal, fleets and added ones together: what a worker's memory holds comfortably. */
export const MAX_SCENARIO_CLIENTS = 200_000;

export function parseScenario(text: string, source = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lineCounter.linePos(syntax.pos[0]);
    const what = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw invalid(`${source}:${at.line}:${at.col}: ${what}`);
  }
  const where = (path: Path): string => {
    const at = lineCounter.linePos(offsetOf(doc, path));
    return `${source}:${at.line}:${at.col}: ${fieldName(path)}`;
  };
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is reported at the key itself, so the person sees which one.
    if (issue.code === 'unrecognized_keys') {
      const full = [...path, issue.keys[0]!];
      const at = lineCounter.linePos(offsetOf(doc, full, false));
      throw invalid(`${source}:${at.line}:${at.col}: ${fieldName(full)}: is not a field of this scenario part`);
    }
    throw invalid(`${where(path)}: ${describeIssue(issue.message, valueAt(doc, path))}`);
  }
  const problem = crossCheck(parsed.data);
  if (problem) throw invalid(`${where(problem.path)}: ${problem.message}`);
  return parsed.data;
}

function invalid(message: string): QuorumError {
  return new QuorumError('SIM_SCENARIO_INVALID', message, HINT);
}

function describeIssue(raw: string, value: unknown): string {
  const message = raw.replace(/^Invalid input: expected (\w+), received (\w+)$/, 'expected a $1, not a $2');
  if (value === undefined) return message.replace(/^expected a (\w+), not a undefined$/, 'missing (a $1 is required)');
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return shown !== undefined && shown.length <= 40 && !message.includes(shown) ? `${message} (got ${shown})` : message;
}

/** "fleets[0].size" */
export function fieldName(path: Path): string {
  if (path.length === 0) return '(the whole file)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function valueAt(doc: Document, path: Path): unknown {
  const node = doc.getIn(path, true);
  return isScalar(node) ? node.value : undefined;
}

/** The offset of the deepest node along `path` that exists: the key of a field when there is one. */
function offsetOf(doc: Document, path: Path, atValue = true): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      node = node.items[step];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  // A scalar's own position is more precise than its key's when the path ends at it.
  const last = atValue ? doc.getIn(path, true) : undefined;
  if (isScalar(last) && last.range) return last.range[0];
  return offset;
}

export function crossCheck(s: Scenario): { path: Path; message: string } | null {
  const hosts = new Set<string>();
  for (const [i, h] of s.hosts.entries()) {
    if (hosts.has(h.name)) return { path: ['hosts', i, 'name'], message: `a second host is called "${h.name}"` };
    hosts.add(h.name);
    for (const [j, o] of h.outages.entries()) {
      if (o.to <= o.from) return { path: ['hosts', i, 'outages', j, 'to'], message: `must be after from (${o.from})` };
    }
  }
  const fleets = new Map<string, number>();
  for (const [i, f] of s.fleets.entries()) {
    if (fleets.has(f.name)) return { path: ['fleets', i, 'name'], message: `a second fleet is called "${f.name}"` };
    fleets.set(f.name, f.size);
    if (f.clonedImage > f.size) {
      return { path: ['fleets', i, 'clonedImage'], message: `is more than the fleet's size (${f.size})` };
    }
  }
  const total = s.fleets.reduce((n, f) => n + f.size, 0) + s.events.reduce((n, e) => n + (e.addClients?.count ?? 0), 0);
  if (total > MAX_SCENARIO_CLIENTS) {
    return {
      path: ['fleets'],
      message: `${total.toLocaleString('en-US')} clients in all; a rehearsal runs up to ${MAX_SCENARIO_CLIENTS.toLocaleString('en-US')}`,
    };
  }
  for (const [i, e] of s.events.entries()) {
    const fleet = e.addClients?.fleet ?? e.removeClients?.fleet;
    const key = e.addClients ? 'addClients' : 'removeClients';
    if (fleet !== undefined && !fleets.has(fleet)) {
      return {
        path: ['events', i, key, 'fleet'],
        message: `no fleet is called "${fleet}" (fleets: ${[...fleets.keys()].join(', ')})`,
      };
    }
    const hostName = e.uninstallKey?.host ?? e.installKey?.host ?? e.setIntervals?.host;
    const hostKey = e.uninstallKey ? 'uninstallKey' : e.installKey ? 'installKey' : 'setIntervals';
    if (hostName !== undefined && !hosts.has(hostName)) {
      return {
        path: ['events', i, hostKey, 'host'],
        message: `no host is called "${hostName}" (hosts: ${[...hosts].join(', ')})`,
      };
    }
    if (e.day > s.days)
      return { path: ['events', i, 'day'], message: `is after the end of the rehearsal (day ${s.days})` };
  }
  return null;
}
