"""Two `liftoff serve` instances on one PostgreSQL database, as behind a load balancer
(docs/sync.md, *Several instances*). Run by ./scripts/test with the PostgreSQL it starts:

    LIFTOFF_BIN=.build/debug/liftoff LIFTOFF_TEST_POSTGRES_URL=postgres://… \
        python3 -m pytest -q Tests/MultiInstance

What must hold, each in its own test:
- exactly one instance runs a reflow at a time: the other answers busy (409);
- an instance killed (SIGKILL) in the middle of a reflow leaves the Store's lease behind; after it
  expires the other instance finishes the calendar with no service call duplicated or lost;
- a Workboard action on one instance reaches a live page (the event stream) of the other;
- a session made on one instance and an API token work on both;
- ticket statuses set through both instances land in Autotask in the order they were given.
"""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOKEN = "two-instances-token"
PASSWORD = "two-instances-password"
NOW = "2026-09-08T14:00:00Z"  # a Tuesday: London and New York in their shifts
LEASE_SECONDS = 10
SANDBOX_AUTH = {"ApiIntegrationCode": "LIFTOFF-SANDBOX", "UserName": "liftoff@sandbox.local",
                "Secret": "sandbox-secret"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary():
    path = Path(os.environ.get("LIFTOFF_BIN", ".build/debug/liftoff"))
    path = path if path.is_absolute() else REPO / path
    if not path.is_file():
        pytest.fail(f"no liftoff binary at {path} (build it first or set LIFTOFF_BIN)", pytrace=False)
    return str(path)


def http(url, method="GET", body=None, headers=None, timeout=60):
    """(status, headers, text) of one request; errors are answers too."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, lower(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, lower(error.headers or {}), error.read().decode("utf-8", "replace")


def lower(headers):
    """Header names in lower case (servers differ in how they spell them)."""
    return {name.lower(): value for name, value in headers.items()}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until(fn, timeout, message, interval=0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except (OSError, ValueError, KeyError) as error:
            last = error
        time.sleep(interval)
    raise AssertionError(f"{message} — waited {timeout} s; last seen: {last!r}")


class Process:
    """A child process whose output is kept for failure messages."""

    def __init__(self, name, command, env):
        self.name = name
        self.lines = []
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def log(self, last=40):
        return f"--- {self.name} ---\n" + "\n".join(self.lines[-last:])

    def stop(self, sig=signal.SIGINT):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Instance(Process):
    def __init__(self, name, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(name, [binary(), "serve", "--port", str(self.port)], env)
        wait_until(lambda: self.process.poll() is None and http(self.url + "/health", timeout=2)[0] == 200, 90,
                   f"{name} should answer /health\n{self.log()}", interval=0.5)

    def api(self, method, path, body=None, headers=None):
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json", **(headers or {})}
        return http(self.url + path, method=method, body=body, headers=headers, timeout=300)


class Cluster:
    """A sandbox Autotask, a fresh database, and two instances sharing both."""

    def __init__(self, latency_ms=0):
        admin = os.environ.get("LIFTOFF_TEST_POSTGRES_URL")
        if not admin:
            pytest.fail("LIFTOFF_TEST_POSTGRES_URL is not set: the two-instance tests need a real PostgreSQL "
                        "(./scripts/test starts one)", pytrace=False)
        self.database = "liftoff_two_" + uuid.uuid4().hex[:12]
        self.admin = admin
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {self.database}"], check=True)
        parsed = urllib.parse.urlsplit(admin)
        self.database_url = urllib.parse.urlunsplit(parsed._replace(path="/" + self.database))
        self.sandbox_port = free_port()
        faults = ["--faults", f"latency={latency_ms}ms"] if latency_ms else []
        self.sandbox = Process("sandbox", [binary(), "sandbox", "--port", str(self.sandbox_port), "--now", NOW,
                                           "--hourly-threshold", "1000000", *faults], dict(os.environ))
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}/atservicesrest/"
        wait_until(lambda: http(self.sandbox_url + "v1.0/zoneInformation?user=liftoff%40sandbox.local",
                                timeout=2)[0] == 200, 60, f"the sandbox should start\n{self.sandbox.log()}")
        env = dict(os.environ)
        env.update({
            "LIFTOFF_DATABASE_URL": self.database_url,
            "LIFTOFF_AUTOTASK_INTEGRATION_CODE": SANDBOX_AUTH["ApiIntegrationCode"],
            "LIFTOFF_AUTOTASK_USER": SANDBOX_AUTH["UserName"],
            "LIFTOFF_AUTOTASK_SECRET": SANDBOX_AUTH["Secret"],
            "LIFTOFF_AUTOTASK_DISCOVERY_URL": self.sandbox_url,
            "LIFTOFF_API_TOKEN": TOKEN,
            "LIFTOFF_ADMIN_PASSWORD": PASSWORD,
            "LIFTOFF_SECRET_KEY": "bGlmdG9mZi10d28taW5zdGFuY2VzLXRlc3Qta2V5ISE=",
            "LIFTOFF_WRITING": "on",
            "LIFTOFF_NOW": NOW,
            "LIFTOFF_REFLOW_MINUTES": "1440",  # only the runs the tests ask for
            "LIFTOFF_REFLOW_LEASE_SECONDS": str(LEASE_SECONDS),
        })
        self.env = env
        self.a = Instance("instance A", env)
        self.b = Instance("instance B", env)

    def logs(self):
        return "\n".join(p.log() for p in (self.a, self.b, self.sandbox))

    def close(self):
        for process in (self.a, self.b, self.sandbox):
            process.stop()
        subprocess.run(["psql", self.admin, "-qc", f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)"])

    def service_calls(self):
        """Every service call in the sandbox Autotask, with its description."""
        search = json.dumps({"filter": [{"op": "gte", "field": "id", "value": 0}]})
        status, _, body = http(self.sandbox_url + "v1.0/ServiceCalls/query?search=" + urllib.parse.quote(search),
                               headers=SANDBOX_AUTH)
        assert status == 200, f"sandbox ServiceCalls query answered {status}: {body[:300]}"
        return json.loads(body)["items"]

    def owned_markers(self):
        markers = []
        for call in self.service_calls():
            found = re.search(r"\[liftoff:([A-Za-z0-9-]+)\]", call.get("description") or "")
            if found:
                markers.append(found.group(1))
        return markers

    def ticket_status(self, ticket_id):
        status, _, body = http(f"{self.sandbox_url}v1.0/Tickets/{ticket_id}", headers=SANDBOX_AUTH)
        assert status == 200, body[:300]
        return json.loads(body)["item"]["status"]


@pytest.fixture
def cluster():
    running = Cluster()
    yield running
    running.close()


@pytest.fixture
def slow_cluster():
    """Autotask answering in 40 ms, so a reflow lasts long enough to be interrupted."""
    running = Cluster(latency_ms=40)
    yield running
    running.close()


def reflow(instance, results, key):
    """Runs a full reflow on `instance` into `results[key]`; a dropped connection (the instance was
    killed) is an answer too."""
    try:
        results[key] = instance.api("POST", "/api/v1/reflow?full=true")
    except OSError as error:
        results[key] = (None, {}, repr(error))


def test_exactly_one_instance_runs_a_reflow_the_other_answers_busy(cluster):
    results = {}
    threads = [threading.Thread(target=reflow, args=(i, results, n)) for n, i in (("a", cluster.a), ("b", cluster.b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    statuses = sorted(results[k][0] for k in ("a", "b"))
    assert statuses == [200, 409], (
        f"of two reflows started at once on two instances one should run (200) and one answer busy (409), got "
        f"{ {k: (v[0], v[2][:200]) for k, v in results.items()} }\n{cluster.logs()}")
    busy = next(v for v in results.values() if v[0] == 409)
    assert "reflow" in busy[2].lower(), f"the busy answer should say a reflow is running: {busy[2][:300]}"
    # The calendar is whole: a second run has nothing to write, and each call is there once.
    again = json.loads(cluster.b.api("POST", "/api/v1/reflow")[2])
    assert (again["created"], again["moved"], again["removed"]) == (0, 0, 0), again
    markers = cluster.owned_markers()
    assert markers and len(markers) == len(set(markers)), f"{len(markers) - len(set(markers))} duplicated calls"


def test_a_runner_killed_midway_is_finished_by_the_other_after_the_lease(slow_cluster):
    cluster = slow_cluster
    started = threading.Thread(target=reflow, args=(cluster.a, {}, "a"), daemon=True)
    started.start()
    wait_until(lambda: len(cluster.owned_markers()) >= 10, 300,
               f"instance A should start writing service calls\n{cluster.logs()}", interval=0.5)
    cluster.a.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    written_by_a = len(cluster.owned_markers())

    status, _, body = cluster.b.api("POST", "/api/v1/reflow")
    assert status == 409, f"while A's lease lasts B should answer busy, answered {status}: {body[:300]}"
    summary = wait_until(lambda: (lambda r: r[0] == 200 and json.loads(r[2]))(cluster.b.api("POST", "/api/v1/reflow")),
                         LEASE_SECONDS + 300, f"B should take over once A's lease expires\n{cluster.logs()}",
                         interval=1)
    assert time.monotonic() - killed_at >= LEASE_SECONDS - 1, "B ran before A's lease could have expired"
    assert summary["outcome"] == "succeeded", summary
    markers = cluster.owned_markers()
    assert len(markers) == len(set(markers)), (
        f"{len(markers) - len(set(markers))} service calls were created twice (A wrote {written_by_a} before it died)")
    assert len(markers) > written_by_a, "B should have written the rest of the calendar"
    again = json.loads(cluster.b.api("POST", "/api/v1/reflow")[2])
    assert (again["created"], again["moved"], again["removed"]) == (0, 0, 0), (
        f"after B's run nothing should be missing or out of place: {again}")


def first_open_activity(instance):
    status, _, body = instance.api("GET", "/api/v1/technicians")
    assert status == 200, body[:300]
    for technician in json.loads(body):
        status, _, board = instance.api("GET", f"/api/v1/technicians/{technician['id']}/workboard")
        for entry in json.loads(board).get("nextActivities", []):
            if entry.get("state") == "open":
                return entry
    raise AssertionError("no open Next Activity on any Workboard")


def test_an_action_on_one_instance_reaches_a_live_page_on_the_other(cluster):
    assert cluster.a.api("POST", "/api/v1/reflow?full=true")[0] == 200
    events = []
    ready = threading.Event()

    def listen():
        request = urllib.request.Request(cluster.b.url + "/api/v1/events",
                                         headers={"Authorization": f"Bearer {TOKEN}", "Accept": "text/event-stream"})
        with urllib.request.urlopen(request, timeout=60) as stream:
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("event:"):
                    events.append(line.split(":", 1)[1].strip())
                    if events[-1] == "hello":
                        ready.set()
                if "plan" in events:
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert ready.wait(20), f"B's event stream should say hello\n{cluster.logs()}"
    activity = first_open_activity(cluster.a)
    acted = time.monotonic()
    status, _, body = cluster.a.api("POST", f"/api/v1/activities/{activity['activityId']}/start")
    assert status == 200, body[:300]
    listener.join(timeout=15)
    assert "plan" in events, f"a page open on B should hear of the action on A (events {events})"
    assert time.monotonic() - acted < 15


def test_sessions_and_tokens_work_on_both_instances(cluster):
    # The login form's own session and CSRF token, as a browser gets them.
    status, headers, page = http(cluster.a.url + "/login")
    assert status == 200, page[:300]
    form_cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    status, headers, body = http(
        cluster.a.url + "/login", method="POST",
        body=urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "_csrf": token}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": cluster.a.url,
                 "Cookie": form_cookie})
    assert status in (302, 303), f"login on A should redirect, answered {status}: {body[:300]}"
    cookie = headers.get("set-cookie", "").split(";")[0]
    assert cookie.startswith("liftoff-session="), headers
    for instance in (cluster.a, cluster.b):
        status, _, body = http(instance.url + "/api/v1/me", headers={"Cookie": cookie, "Accept": "application/json"})
        assert status == 200 and '"username":"admin"' in body, f"{instance.name} with A's session: {status} {body[:200]}"
        status, _, body = instance.api("GET", "/api/v1/me")
        assert status == 200, f"{instance.name} with the API token: {status} {body[:200]}"


def test_ticket_statuses_through_both_instances_land_in_order(cluster):
    assert cluster.a.api("POST", "/api/v1/reflow?full=true")[0] == 200
    activity = first_open_activity(cluster.a)
    ticket = activity["ticketId"]
    assert cluster.a.api("POST", f"/api/v1/activities/{activity['activityId']}/start")[0] == 200
    status, _, body = cluster.b.api("POST", f"/api/v1/activities/{activity['activityId']}/complete")
    assert status == 200, body[:300]
    complete = 5  # the demo tenant's Complete
    wait_until(lambda: cluster.ticket_status(ticket) == complete, 30,
               f"ticket {ticket} should end Complete, the later of Start (A) and Complete (B)", interval=0.5)
    time.sleep(3)  # a late In Progress would land now
    assert cluster.ticket_status(ticket) == complete, "an earlier status landed after the later one"
