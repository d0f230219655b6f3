"""An IPMI BMC for tests: pyghmi's BMC server on 127.0.0.1 (UDP, IPMI 2.0 / lanplus), managing
one system whose power is on or off in memory (../shared/emulated-bmc/FINDINGS.md).

    python ipmi-bmc.py --port 6231

The login is BMC_USER / BMC_PASSWORD from the environment (never on the command line). Started by
provspec as the server "ipmi-bmc" (servers/servers.toml); ready when it prints its first line.
"""
import argparse
import os

import pyghmi.ipmi.bmc as bmc

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
args = parser.parse_args()


class EmulatedBmc(bmc.Bmc):
    """Power on or off, kept in memory; every request is logged to stdout."""

    def __init__(self, authdata, port):
        super().__init__(authdata, port=port, address="127.0.0.1")
        self.power = "off"

    def log(self, what):
        print("%s; power %s" % (what, self.power), flush=True)

    def cold_reset(self):
        self.log("cold reset")

    def get_power_state(self):
        return self.power

    def power_off(self):
        self.power = "off"
        self.log("power off")

    def power_on(self):
        self.power = "on"
        self.log("power on")

    def power_cycle(self):
        self.power = "on"
        self.log("power cycle")

    def power_reset(self):
        self.power = "on"
        self.log("power reset")

    def power_shutdown(self):
        self.power = "off"
        self.log("power shutdown")

    def is_active(self):
        return self.power == "on"

    def get_boot_device(self):
        return "default"

    def set_boot_device(self, bootdevice):
        self.log("boot device %s" % bootdevice)


server = EmulatedBmc({os.environ.get("BMC_USER", "admin"): os.environ["BMC_PASSWORD"]}, args.port)
print("ipmi BMC on 127.0.0.1:%d (udp)" % args.port, flush=True)
server.listen()
