"""A Redfish BMC for tests: sushy-tools' fake driver on 127.0.0.1 over TLS, its state in a
fresh directory, one system per uuid given, every power change applied after --delay seconds
(sushy-tools itself waits a random 1-11 s; see ../shared/emulated-bmc/FINDINGS.md).

    python redfish-bmc.py --port 8443 --dir DIR --systems UUID[,UUID…] --cert CRT --key KEY [--delay 0]

The login is BMC_USER / BMC_PASSWORD from the environment (never on the command line).
Started by provspec as the server "redfish-bmc" (servers/servers.toml).
"""
import argparse
import os
import sys

import bcrypt

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--systems", required=True, help="comma-separated uuids")
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--delay", type=int, default=0, help="seconds before a power change shows")
args = parser.parse_args()

user = os.environ.get("BMC_USER", "admin")
password = os.environ["BMC_PASSWORD"]
os.makedirs(args.dir, exist_ok=True)
htpasswd = os.path.join(args.dir, "htpasswd")
with open(htpasswd, "w") as f:
    f.write("%s:%s\n" % (user, bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()))
systems = [
    {"uuid": uuid, "name": "system-%d" % n, "power_state": "Off",
     "nics": [{"mac": "52:54:00:00:%02x:%02x" % (args.port % 256, n), "ip": "192.0.2.%d" % n}]}
    for n, uuid in enumerate(args.systems.split(","), start=1)
]
config = os.path.join(args.dir, "sushy.conf")
state = os.path.join(args.dir, "state")
os.makedirs(state, exist_ok=True)
with open(config, "w") as f:
    f.write("SUSHY_EMULATOR_LISTEN_IP = '127.0.0.1'\n")
    f.write("SUSHY_EMULATOR_LISTEN_PORT = %d\n" % args.port)
    f.write("SUSHY_EMULATOR_FAKE_DRIVER = True\n")
    f.write("SUSHY_EMULATOR_STATE_DIR = %r\n" % state)
    f.write("SUSHY_EMULATOR_AUTH_FILE = %r\n" % htpasswd)
    f.write("SUSHY_EMULATOR_SSL_CERT = %r\n" % args.cert)
    f.write("SUSHY_EMULATOR_SSL_KEY = %r\n" % args.key)
    f.write("SUSHY_EMULATOR_FAKE_SYSTEMS = %r\n" % systems)

from sushy_tools.emulator import main  # noqa: E402
from sushy_tools.emulator.resources.systems import fakedriver  # noqa: E402


class FixedDelay:
    """Stands in for the random module in fakedriver: randint(1, 11) is the fixed delay."""

    @staticmethod
    def randint(_low, _high):
        return args.delay


fakedriver.random = FixedDelay
sys.argv = ["sushy-emulator", "--config", config]
print("redfish BMC on https://127.0.0.1:%d with %d system(s), delay %d s"
      % (args.port, len(systems), args.delay), flush=True)
sys.exit(main.main())
