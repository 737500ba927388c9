"""Drives a Quorum host with impacket's DCE/RPC client (the real, independent implementation).
usage: impacket_client.py PORT MODE STUB_HEX   (MODE: activate | wrong-uuid | opnum1 | small-fragments)
Prints one JSON line: {"ok": true, "response": HEX} or {"ok": false, "error": TEXT}."""
import json
import sys

from impacket.dcerpc.v5 import transport
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_NONE, DCERPCException
from impacket.uuid import uuidtup_to_bin

QAP_UUID = 'fba2b687-4925-4024-aa47-172873372121'
OTHER_UUID = '12345678-1234-abcd-ef00-0123456789ab'


def main():
    port, mode, stub_hex = sys.argv[1], sys.argv[2], sys.argv[3]
    rpc = transport.DCERPCTransportFactory('ncacn_ip_tcp:127.0.0.1[%s]' % port)
    dce = rpc.get_dce_rpc()
    dce.set_auth_level(RPC_C_AUTHN_LEVEL_NONE)
    if mode == 'small-fragments':
        dce.set_max_fragment_size(64)
    dce.connect()
    try:
        dce.bind(uuidtup_to_bin((OTHER_UUID if mode == 'wrong-uuid' else QAP_UUID, '1.0')))
        dce.call(1 if mode == 'opnum1' else 0, bytes.fromhex(stub_hex))
        answer = dce.recv()
        print(json.dumps({'ok': True, 'response': answer.hex()}))
    except DCERPCException as e:
        print(json.dumps({'ok': False, 'error': str(e)}))
    except Exception as e:  # bind rejections surface as plain exceptions in some impacket versions
        print(json.dumps({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}))
    finally:
        dce.disconnect()


main()
