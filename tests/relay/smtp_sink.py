#!/usr/bin/python3
"""tests/relay/smtp_sink.py - the far end of the relay tests: an aiosmtpd
SMTP server on a loopback port with STARTTLS (required) and AUTH, which
answers each recipient by its local part and logs every message it takes.

  reject...@   550 5.1.1 at RCPT TO (a permanent refusal)
  later...@    451 4.2.0 at RCPT TO the first time it is seen, then 250
  anything     250

Each message taken is parsed with Python's email package and logged as one
JSON line (envelope, headers, plain body, defects) to --log, written and
synced before the 250 of DATA goes out, so the log counts at least every
copy the client was told was taken. The chosen port is written to
--port-file once the server listens. It stops on SIGTERM, or by itself
after --lifetime seconds so a crashed test never leaves it behind.

Usage: smtp_sink.py --port-file F --log F --cert F --key F --user U --password P
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, log):
        self.log = log
        self.seen_later = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("later") and address not in self.seen_later:
            self.seen_later.add(address)
            return "451 4.2.0 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        entry = {
            "from": envelope.mail_from,
            "rcpts": envelope.rcpt_tos,
            "subject": str(msg.get("subject", "")),
            "to": str(msg.get("to", "")),
            "bcc": msg.get("bcc") is not None,
            "body": body.get_content().strip() if body is not None else None,
            "defects": len(msg.defects),
            "tls": session.ssl is not None,
            "auth": bool(session.authenticated),
        }
        self.log.write(json.dumps(entry) + "\n")
        self.log.flush()
        os.fsync(self.log.fileno())
        return "250 2.0.0 Ok: queued"


def main():
    ap = argparse.ArgumentParser()
    for name in ("--port-file", "--log", "--cert", "--key", "--user", "--password"):
        ap.add_argument(name, required=True)
    ap.add_argument("--lifetime", type=float, default=300)
    a = ap.parse_args()
    # aiosmtpd 1.4 logs a warning about its own use of Session.login_data
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(a.cert, a.key)
    log = open(a.log, "a", encoding="utf-8")
    handler = Handler(log)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode() == a.user and auth_data.password.decode() == a.password)
        # handled=False: aiosmtpd then answers a refusal with 535 itself
        return AuthResult(success=ok, handled=False)

    def factory():
        return SMTP(handler, hostname="sink.test", tls_context=tls, require_starttls=True,
                    authenticator=authenticator, auth_required=True, auth_require_tls=True)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, a.port_file)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.call_later(a.lifetime, loop.stop)
    loop.run_forever()
    server.close()
    log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
