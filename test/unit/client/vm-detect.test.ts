import { describe, expect, it } from 'vitest';
import { detectVm, dmiLooksVirtual } from '../../../src-main/client/vm-detect.js';

describe('VM detection', () => {
  it.each([
    'QEMU Standard PC (Q35 + ICH9, 2009)',
    'VMware, Inc. VMware Virtual Platform',
    'innotek GmbH VirtualBox',
    'Microsoft Corporation Virtual Machine',
    'Amazon EC2 t3.micro',
    'Xen HVM domU',
  ])('sees a hypervisor in "%s"', (text) => {
    expect(dmiLooksVirtual(text)).toBe(true);
  });

  it.each(['Dell Inc. OptiPlex 7090', 'LENOVO 20XW', 'ASUSTeK COMPUTER INC. PRIME B550'])(
    'sees hardware in "%s"',
    (t) => {
      expect(dmiLooksVirtual(t)).toBe(false);
    },
  );

  it('answers on this machine and says what decided it', async () => {
    const r = await detectVm();
    expect(typeof r.isVm).toBe('boolean');
    expect(r.source.length).toBeGreaterThan(0);
  });

  it('does not guess on other platforms', async () => {
    expect(await detectVm('darwin')).toEqual({ isVm: false, source: 'not detected on darwin' });
  });
});
