/**
 * The Rehearse view's service: runs a scenario in a worker thread (the calling thread stays free),
 * reports progress, applies the view's changes, cancels, and refuses a bad file with the line and
 * field — all through the contract's dispatch, as the transports call it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimRunResult } from '../../../shared/ipc/sim-channels.js';
import { ConsoleEvents } from '../../../src-main/service/console-events.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import { createSimService, type SimService } from '../../../src-main/service/sim-service.js';
import type { ConsoleContract } from '../../../shared/ipc/contract.js';

let service: SimService | null = null;
afterEach(() => service?.close());

function setUp() {
  const events = new ConsoleEvents();
  service = createSimService(events);
  const progress: { runId: string; day: number; days: number }[] = [];
  events.on('sim:progress', (p) => progress.push(p));
  const call = (channel: string, input: unknown) =>
    dispatchInvoke(service!.contract as ConsoleContract, channel, input);
  return { call, progress };
}

describe('the rehearsal service', () => {
  it('runs a built-in scenario with changed hosts and fleet size in a worker, with progress', async () => {
    const { call, progress } = setUp();
    const builtins = await call('sim:builtins', {});
    expect(builtins.ok && (builtins.value as { name: string }[]).map((b) => b.name)).toContain('host-failover');

    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const outcome = await call('sim:run', {
      runId: 'run-1',
      source: { builtin: 'host-failover' },
      overrides: {
        days: 20,
        fleetSizes: [60],
        hosts: [
          { priority: 0, weight: 100 },
          { priority: 10, weight: 100 },
          { priority: 10, weight: 50 },
        ],
      },
    });
    clearInterval(timer);
    expect(outcome.ok).toBe(true);
    const result = (outcome as { value: SimRunResult }).value;
    expect(result.scenario.days).toBe(20);
    expect(result.totals.clients).toBe(60);
    expect(result.hosts.map((h) => [h.name, h.priority, h.weight])).toEqual([
      ['quorum1', 0, 100],
      ['quorum2', 10, 100],
      ['quorum3', 10, 50],
    ]);
    // During quorum1's outage both priority-10 hosts took requests.
    expect(result.hosts[1]!.totalRequests).toBeGreaterThan(0);
    expect(result.hosts[2]!.totalRequests).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ runId: 'run-1', day: 20, days: 20 });
    // The timers of this thread kept running while the rehearsal ran elsewhere.
    expect(ticks).toBeGreaterThan(0);
  });

  it('cancels a run', async () => {
    const { call } = setUp();
    const running = call('sim:run', { runId: 'long', source: { builtin: 'boot-storm' }, overrides: { days: 3650 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await call('sim:cancel', { runId: 'long' })).toEqual({ ok: true, value: { cancelled: true } });
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'SIM_CANCELLED' } });
    expect(await call('sim:cancel', { runId: 'long' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('describes a file from its content, and names the line and field of a mistake', async () => {
    const { call } = setUp();
    const text =
      'name: branch\ndays: 30\nhosts:\n  - name: quorum1\n    family: desktop\nfleets:\n  - name: office\n    product: desktop\n    size: 30\n';
    const ok = await call('sim:describe', { source: { text, fileName: 'branch.yaml' } });
    expect(ok).toMatchObject({ ok: true, value: { name: 'branch', days: 30, fleets: [{ name: 'office', size: 30 }] } });
    const bad = await call('sim:describe', {
      source: { text: text.replace('size: 30', 'size: -3'), fileName: 'branch.yaml' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'SIM_SCENARIO_INVALID' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/^branch\.yaml:9:11: fleets\[0\]\.size: /);
    const badInput = await call('sim:run', { runId: 'x y', source: { builtin: 'boot-storm' }, overrides: {} });
    expect(badInput).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
  });
});
