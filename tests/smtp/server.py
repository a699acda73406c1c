#!/usr/bin/env python3
"""A real SMTP server for the sending tests, built on aiosmtpd.

It listens on a free loopback port and prints one line when it is ready:

    READY port=<port> ca=<path of the CA certificate>

Every message it accepts is saved as `<dir>/mail/<n>.eml` (the bytes as received) before it
answers 250, and every step of every session is appended to `<dir>/events.log`, one line each,
so a test can tell what the client did (for example that it never tried to log in).

Modes:
  (default)          STARTTLS offered, AUTH PLAIN/LOGIN after STARTTLS, one test user
  --implicit-tls     TLS from the first byte (SMTPS)
  --no-starttls      no STARTTLS; AUTH is then offered in clear text, for clients to refuse
  --reject-rcpt ADDR answer 550 to RCPT TO for ADDR (repeatable)
  --silent           accept TCP connections and never answer anything
  --self-signed      present a self-signed `CA:TRUE` certificate made with the recipe SMTP
                     server guides give (`openssl req -x509 -newkey rsa:4096 -nodes …`) instead
                     of one signed by a test CA; `ca=` then names that certificate itself
"""

import argparse
import asyncio
import logging
import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path

TEST_USER = "tester"
TEST_PASSWORD = "letterpress-test-password"


def generate_self_signed(directory: Path) -> tuple[Path, Path, Path]:
    """The usual recipe: one self-signed certificate, which openssl marks `CA:TRUE`."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:4096", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    return cert, cert, key


def generate_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for localhost and 127.0.0.1 signed by it."""
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    ext = directory / "server.ext"
    ext.write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
    )

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", str(ca_key), "-out", str(ca_cert), "-subj", "/CN=Letterpress Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out", str(csr),
            "-subj", "/CN=localhost")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
            "-CAcreateserial", "-days", "2", "-out", str(cert), "-extfile", str(ext))
    return ca_cert, cert, key


class Journal:
    """Appends one line per event, flushed at once so a test reading it sees everything."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, *words: object) -> None:
        with self.path.open("a", encoding="utf-8") as log:
            log.write(" ".join(str(word) for word in words) + "\n")


def run_smtp(args, directory: Path, ca: Path, cert: Path, key: Path) -> None:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    journal = Journal(directory / "events.log")
    mail_dir = directory / "mail"
    mail_dir.mkdir(exist_ok=True)
    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(str(cert), str(key))
    rejected = {address.lower() for address in args.reject_rcpt}
    counter = {"messages": 0}

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            journal.write("AUTH", mechanism, "unsupported")
            return AuthResult(success=False, handled=False)
        # `handled=False` makes aiosmtpd send its 535 reply; with the default it sends nothing.
        login = auth_data.login.decode()
        ok = login == TEST_USER and auth_data.password.decode() == TEST_PASSWORD
        journal.write("AUTH", mechanism, login, "ok" if ok else "refused")
        return AuthResult(success=ok, handled=False)

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            journal.write("EHLO", hostname, "tls" if session.ssl else "plain")
            session.host_name = hostname
            return responses

        async def handle_MAIL(self, server, session, envelope, address, options):
            journal.write("MAIL", address)
            envelope.mail_from = address
            envelope.mail_options.extend(options)
            return "250 OK"

        async def handle_RCPT(self, server, session, envelope, address, options):
            if address.lower() in rejected:
                journal.write("RCPT", address, "rejected")
                return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
            journal.write("RCPT", address)
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            counter["messages"] += 1
            number = counter["messages"]
            temp = mail_dir / f".{number}.tmp"
            temp.write_bytes(envelope.original_content)
            os.replace(temp, mail_dir / f"{number}.eml")
            (mail_dir / f"{number}.envelope").write_text(
                "\n".join([envelope.mail_from, *envelope.rcpt_tos]) + "\n"
            )
            journal.write("DATA", number, len(envelope.original_content))
            return f"250 2.0.0 Ok: queued as LP{number:04d}"

    def factory():
        common = dict(
            authenticator=authenticator,
            data_size_limit=20 * 1024 * 1024,
            enable_SMTPUTF8=True,
            decode_data=False,
        )
        if args.implicit_tls:
            return SMTP(Handler(), auth_require_tls=False, **common)
        if args.no_starttls:
            # AUTH is offered without TLS here on purpose: a client that requires STARTTLS
            # must stop before logging in, and the journal shows whether it did.
            return SMTP(Handler(), auth_require_tls=False, **common)
        return SMTP(Handler(), tls_context=tls_context, require_starttls=False,
                    auth_require_tls=True, **common)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, host="127.0.0.1", port=0,
        ssl=tls_context if args.implicit_tls else None,
    ))
    announce(server, ca)
    serve_until_stopped(loop)


def run_silent(directory: Path, ca: Path) -> None:
    journal = Journal(directory / "events.log")
    held = []

    async def hold(reader, writer):
        journal.write("CONNECT", "silent")
        held.append(writer)
        # Never write anything: read until the client gives up and closes.
        while await reader.read(4096):
            pass

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(asyncio.start_server(hold, host="127.0.0.1", port=0))
    announce(server, ca)
    serve_until_stopped(loop)


def announce(server, ca: Path) -> None:
    port = server.sockets[0].getsockname()[1]
    print(f"READY port={port} ca={ca}", flush=True)


def serve_until_stopped(loop) -> None:
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.run_until_complete(stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path,
                        help="folder for certificates, received mail and the event log")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--implicit-tls", action="store_true")
    mode.add_argument("--no-starttls", action="store_true")
    mode.add_argument("--silent", action="store_true")
    parser.add_argument("--self-signed", action="store_true")
    parser.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDR")
    args = parser.parse_args()
    # Errors inside the server (for example in a session) go to stderr, where a test shows them.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # aiosmtpd warns about its own deprecated internals on every login.
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    args.dir.mkdir(parents=True, exist_ok=True)
    ca, cert, key = generate_self_signed(args.dir) if args.self_signed else generate_certificates(args.dir)
    if args.silent:
        run_silent(args.dir, ca)
    else:
        run_smtp(args, args.dir, ca, cert, key)


if __name__ == "__main__":
    sys.exit(main())
