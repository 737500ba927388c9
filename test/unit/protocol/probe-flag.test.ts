/** Flag bit 3 (docs/protocol.md, "Probe requests") survives encoding; bit 4 and above are still refused. */
import { describe, expect, it } from 'vitest';
import { decodeActivationRequest, encodeActivationRequest } from '../../../shared/protocol/qap-codec.js';
import { activationRequest } from '../../support/activated-host.js';

describe('probe flag', () => {
  it('round-trips, and an ordinary request decodes without it', () => {
    const probe = activationRequest('desktop', { probe: true });
    const bytes = encodeActivationRequest(probe);
    expect(bytes[6]! & 0x08).toBe(0x08);
    expect(decodeActivationRequest(bytes).probe).toBe(true);
    expect(decodeActivationRequest(encodeActivationRequest(activationRequest())).probe).toBeUndefined();
  });

  it('leaves the other bits reserved', () => {
    const bytes = encodeActivationRequest(activationRequest());
    bytes[6] = 0x10;
    expect(() => decodeActivationRequest(bytes)).toThrow(/unknown bits \(0x10\)/);
  });
});
