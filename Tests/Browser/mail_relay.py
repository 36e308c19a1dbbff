"""A real SMTP relay on loopback for the booking-mail tests: aiosmtpd (Debian's python3-aiosmtpd) with
STARTTLS required, a self-signed certificate made by openssl for `localhost`, and AUTH PLAIN/LOGIN
required inside TLS. It keeps every message it accepts, with what it knew of the session (TLS,
login), so a test reads what a customer's mailbox would get."""

import email
import email.policy
import ssl
import subprocess
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER = "liftoff"
PASSWORD = "relay pass:word"


class Received:
    def __init__(self, envelope, session):
        self.mail_from = envelope.mail_from
        self.recipients = list(envelope.rcpt_tos)
        self.tls = session.ssl is not None
        self.authenticated = bool(session.authenticated)
        self.message = email.message_from_bytes(envelope.original_content or envelope.content,
                                                policy=email.policy.default)

    @property
    def subject(self):
        return str(self.message["Subject"])

    @property
    def text(self):
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def ics(self):
        for part in self.message.iter_attachments():
            if part.get_filename() == "appointment.ics":
                return part.get_payload(decode=True).decode()
        return None


class _Handler:
    def __init__(self, relay):
        self.relay = relay

    async def handle_DATA(self, server, session, envelope):
        with self.relay.lock:
            self.relay.received.append(Received(envelope, session))
        return "250 2.0.0 Ok: queued"


def _authenticator(server, session, envelope, mechanism, auth_data):
    login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
    password = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
    return AuthResult(success=(login == USER and password == PASSWORD))


class MailRelay:
    def __init__(self, directory, port):
        self.port = port
        self.ca_file = str(directory / "relay-cert.pem")
        key_file = str(directory / "relay-key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key_file, "-out", self.ca_file,
             "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
            check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, key_file)
        self.received = []
        self.lock = threading.Lock()
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
            authenticator=_authenticator, auth_require_tls=True, server_hostname="localhost")

    @property
    def url(self):
        from urllib.parse import quote
        return (f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@localhost:{self.port}"
                "?from=dispatch@demo-msp.example&fromName=Demo%20MSP%20Dispatch")

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def wait_for(self, predicate, timeout, message):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.received if predicate(m)]
            if found:
                return found
            time.sleep(0.2)
        with self.lock:
            seen = [(m.recipients, m.subject) for m in self.received]
        raise AssertionError(f"{message}; the relay has {seen}")
