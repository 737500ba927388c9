import type { RequestResult } from '../../../shared/domain/records.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  BRIDGE_EVENTS,
  BRIDGE_METHODS,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  makeBridge,
  type ConsoleContract,
  type EventPayloads,
  type InvokeInput,
  type InvokeResult,
  type QuorumBridge,
} from '../../../shared/ipc/index.js';
import type { ClientWindow, ClientWindowQuery } from '../../../shared/domain/records.js';
import type { HostStatusView } from '../../../shared/ipc/views.js';
import { QuorumError } from '../../../shared/domain/errors.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';

const validQuery: ClientWindowQuery = {
  offset: 0,
  limit: 50,
  sort: { column: 'lastSeen', direction: 'desc' },
  filter: { text: 'pc-' },
};

describe('the contract types', () => {
  it('pins input and result types per channel', () => {
    expectTypeOf<InvokeInput<'clients:window'>>().toEqualTypeOf<{
      offset: number;
      limit: number;
      sort: { column: ClientWindowQuery['sort']['column']; direction: 'asc' | 'desc' };
      filter: {
        text?: string | undefined;
        productId?: string | undefined;
        licenseState?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | undefined;
        lastResult?: RequestResult | undefined;
        isVm?: boolean | undefined;
        seenWithinMs?: number | undefined;
      };
      after?: { value: string | number; cmid: string } | undefined;
    }>();
    expectTypeOf<InvokeResult<'clients:window'>>().toEqualTypeOf<ClientWindow>();
    expectTypeOf<InvokeResult<'host:status'>>().toEqualTypeOf<HostStatusView>();
    expectTypeOf<EventPayloads['clients:changed']>().toEqualTypeOf<{ changed: number; at: number }>();
  });

  it('gives the bridge one named function per channel and per event', () => {
    expect(Object.values(BRIDGE_METHODS).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort());
    expect(Object.values(BRIDGE_EVENTS).sort()).toEqual([...EVENT_CHANNELS].sort());
    expectTypeOf<QuorumBridge['clientsWindow']>().parameter(0).toEqualTypeOf<InvokeInput<'clients:window'>>();
    const calls: string[] = [];
    const bridge = makeBridge(
      async (channel) => {
        calls.push(channel);
        return { ok: true, value: null };
      },
      (channel) => {
        calls.push(`on ${channel}`);
        return () => {};
      },
    );
    void bridge.hostStatus({});
    bridge.onClientsChanged(() => {});
    expect(calls).toEqual(['host:status', 'on clients:changed']);
    expect(Object.keys(bridge)).not.toContain('invoke');
  });
});

const notHere = async (): Promise<never> => {
  throw new QuorumError('NOT_IN_THIS_TEST', 'Not used here.');
};
const keyAndSettingsStubs = {
  'keys:install': notHere,
  'keys:activate-online': notHere,
  'keys:start-offline': notHere,
  'keys:complete-offline': notHere,
  'keys:uninstall': notHere,
  'keys:issue': notHere,
  'settings:get': notHere,
  'settings:set': notHere,
  'settings:site-token': notHere,
} satisfies Partial<ConsoleContract>;
const unused = async (): Promise<never> => {
  throw new Error('not used by these tests');
};

describe('dispatchInvoke validates every payload', () => {
  const seen: unknown[] = [];
  const service: ConsoleContract = {
    'host:status': async () => {
      throw new QuorumError('HOST_DOWN', 'The host is stopping.', 'Start it again.');
    },
    'host:events': async () => [],
    'clients:window': async (q) => {
      seen.push(q);
      return { rows: [], total: 0, offset: q.offset };
    },
    'requests:window': async (q) => ({ rows: [], total: 0, offset: q.offset }),
    'sim:builtins': async () => [],
    'sim:describe': async () => {
      throw new QuorumError('SIM_UNKNOWN_SCENARIO', 'No such scenario.');
    },
    'sim:run': async () => {
      throw new QuorumError('SIM_BUSY', 'Busy.');
    },
    'sim:cancel': async () => ({ cancelled: false }),
    ...keyAndSettingsStubs,
    'dns:list': unused,
    'dns:add-zone': unused,
    'dns:publish-now': unused,
    'dns:withdraw': unused,
    'dns:set-publishing': unused,
    'dns:records': unused,
    'dns:check': unused,
    'events:acknowledge': async ({ ids }) => ({ acknowledged: ids.length }),
    'clients:history': async () => [],
    'clients:export': async () => ({ fileName: 'x.csv', mimeType: 'text/csv', content: '', rows: 0, truncated: false }),
    'overview:history': async () => [],
  };

  it('passes a valid input through', async () => {
    const outcome = await dispatchInvoke(service, 'clients:window', validQuery);
    expect(outcome).toEqual({ ok: true, value: { rows: [], total: 0, offset: 0 } });
    expect(seen.at(-1)).toEqual(validQuery);
  });

  it.each([
    ['a negative offset', { ...validQuery, offset: -1 }, 'offset'],
    ['a limit over 1000', { ...validQuery, limit: 5000 }, 'limit'],
    ['an unknown sort column', { ...validQuery, sort: { column: 'password', direction: 'asc' } }, 'sort.column'],
    ['an extra key', { ...validQuery, extra: 1 }, ''],
    ['a licence state of 9', { ...validQuery, filter: { licenseState: 9 } }, 'filter.licenseState'],
    ['a string', 'select * from clients', ''],
    ['a cursor without a CMID', { ...validQuery, after: { value: 5 } }, 'after.cmid'],
    ['a cursor whose value is an object', { ...validQuery, after: { value: {}, cmid: '0'.repeat(32) } }, 'after'],
  ])('refuses %s with a typed error naming the field', async (_label, input, path) => {
    const before = seen.length;
    const outcome = await dispatchInvoke(service, 'clients:window', input);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('IPC_INVALID_INPUT');
      expect(outcome.error.message).toContain('clients:window');
      if (path) expect(outcome.error.message).toContain(path);
    }
    expect(seen.length).toBe(before);
  });

  it('refuses an empty acknowledgement and a history without a CMID', async () => {
    expect(await dispatchInvoke(service, 'events:acknowledge', { ids: [] })).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_INPUT' },
    });
    expect(await dispatchInvoke(service, 'clients:history', { cmid: 'pc-01', limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'IPC_INVALID_INPUT', message: expect.stringContaining('cmid') },
    });
    expect(
      await dispatchInvoke(service, 'clients:export', { format: 'xlsx', sort: validQuery.sort, filter: {} }),
    ).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT', message: expect.stringContaining('format') } });
  });

  it('refuses an unknown channel', async () => {
    const outcome = await dispatchInvoke(service, 'fs:read', { path: '/etc/passwd' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
  });

  it('wraps a thrown QuorumError with its code, message and hint', async () => {
    expect(await dispatchInvoke(service, 'host:status', {})).toEqual({
      ok: false,
      error: { code: 'HOST_DOWN', message: 'The host is stopping.', hint: 'Start it again.' },
    });
  });
});
