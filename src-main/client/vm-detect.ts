/**
 * Best-effort detection of a virtual machine for the request's VM flag. Linux: the DMI vendor and
 * product strings, then `systemd-detect-virt`. Elsewhere, or when neither says anything, the
 * answer is "physical"; a person can always override it (--vm / --no-vm).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface VmDetection {
  isVm: boolean;
  /** What decided it, for `client status` (e.g. "DMI: QEMU", "systemd-detect-virt: kvm"). */
  source: string;
}

const VM_MARKERS = [
  'qemu',
  'kvm',
  'vmware',
  'virtualbox',
  'innotek',
  'xen',
  'bochs',
  'parallels',
  'bhyve',
  'virtual machine',
  'amazon ec2',
  'google compute engine',
  'openstack',
];

/** True when DMI vendor/product text names a hypervisor. Exported for tests. */
export function dmiLooksVirtual(text: string): boolean {
  const t = text.toLowerCase();
  return VM_MARKERS.some((m) => t.includes(m));
}

async function readDmi(): Promise<string | null> {
  const parts: string[] = [];
  for (const f of ['sys_vendor', 'product_name']) {
    try {
      parts.push((await readFile(`/sys/class/dmi/id/${f}`, 'utf8')).trim());
    } catch {
      // Missing in containers and on non-Linux systems.
    }
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

function systemdDetectVirt(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('systemd-detect-virt', [], { timeout: 3000 }, (err, stdout) => {
      const out = stdout.trim();
      // Exit status 1 with "none" means no virtualisation; a missing program is also "don't know".
      resolve(err || out === '' || out === 'none' ? null : out);
    });
  });
}

export async function detectVm(platform: NodeJS.Platform = process.platform): Promise<VmDetection> {
  if (platform !== 'linux') return { isVm: false, source: `not detected on ${platform}` };
  const dmi = await readDmi();
  if (dmi !== null && dmiLooksVirtual(dmi)) return { isVm: true, source: `DMI: ${dmi}` };
  const virt = await systemdDetectVirt();
  if (virt !== null) return { isVm: true, source: `systemd-detect-virt: ${virt}` };
  return { isVm: false, source: dmi !== null ? `DMI: ${dmi}` : 'no hypervisor found' };
}
