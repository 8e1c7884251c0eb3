"""Loaded by every Python process of a guarded build (PYTHONPATH): refuses any network
connection that leaves this machine and logs the attempt, so the test can fail on it.

Loopback stays open: Jupyter kernels talk to papermill over 127.0.0.1.
"""
import ipaddress
import os
import socket

_LOG = os.environ.get("ALUMINIUM_NETGUARD_LOG")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _allowed(address) -> bool:
    if not isinstance(address, tuple):  # unix socket path
        return True
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it would need DNS


def _guard(address):
    if not _allowed(address):
        if _LOG:
            with open(_LOG, "a") as fh:
                fh.write(f"{os.getpid()} {address!r}\n")
        raise OSError(f"network access refused by the test guard: {address!r}")


def connect(self, address):
    _guard(address)
    return _connect(self, address)


def connect_ex(self, address):
    _guard(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost") and not str(host).startswith("127.") and host != "::1":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            _guard((host, 0))
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = getaddrinfo
