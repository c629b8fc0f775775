"""Webhook benchmark: 1,000 signed Stripe deliveries for 200 invoices, a fifth of them
duplicates, shuffled, 20 at a time, to gunicorn on 127.0.0.1 with the database task
backend and a db_worker. Reports acknowledgement latency and checks that exactly 200
payments and 200 activations happened.

    .venv/bin/python bench/webhooks/run.py            # PostgreSQL (throwaway cluster)
    .venv/bin/python bench/webhooks/run.py --sqlite   # the embedded SQLite (WAL)
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
SECRET = "whsec_bench_kyoso_0123456789"  # noqa: S105  (a throwaway secret shared with the local server)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not come up ({last})")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()


def seed(n_invoices: int) -> list[int]:
    """n approved memberships, hence n open invoices (issued by the billing glue)."""
    from billing.models import Invoice
    from demo.home import ensure_home
    from membership import services as ms
    from membership.models import Organization, Tier
    from tests.billing.conftest import make_issuer
    from tests.membership.factories import record_clear_checks

    ensure_home()
    make_issuer()
    tier = Tier.objects.create(name_ja="一般会員", name_en="Regular", annual_fee=120_000)
    for i in range(n_invoices):
        org = Organization.objects.create(
            legal_name=f"ベンチ工業株式会社{i}",
            address="宮城県仙台市",
            industry="E",
            size_band="100-999",
            billing_contact_name="経理",
            billing_contact_email=f"bench{i}@example.jp",
        )
        m = ms.membership_apply(organization=org, tier=tier, by=None)
        ms.membership_start_screening(membership=m, by=None)
        record_clear_checks(m)  # an approval needs its screening checklist
        ms.membership_approve(membership=m, by=None)
    return list(Invoice.objects.values_list("pk", flat=True))


def build_deliveries(invoice_pks: list[int], total: int, seed_: int) -> list[str]:
    """Four distinct events per invoice (finalized, a failed attempt, paid, an unhandled type),
    plus duplicates up to `total`, shuffled."""
    from billing.models import Invoice
    from tests.billing.stripe_fake import event, invoice_object

    unique = []
    for invoice in Invoice.objects.filter(pk__in=invoice_pks):
        unique += [
            event("invoice.finalized", invoice_object(invoice, status="open")),
            event("invoice.payment_failed", invoice_object(invoice, status="open")),
            event("invoice.paid", invoice_object(invoice, status="paid")),
            event("invoice.updated", invoice_object(invoice, status="paid")),
        ]
    rng = random.Random(seed_)
    bodies = [json.dumps(e) for e in unique]
    bodies += [rng.choice(bodies) for _ in range(total - len(bodies))]
    rng.shuffle(bodies)
    return bodies


def send_all_threads(
    port: int, bodies: list[str], concurrency: int, sign: bool = True
) -> tuple[list[float], list[int], list[tuple[int, int | None]] | None]:
    """The first load generator: a thread per sender and http.client. Kept to compare
    (--client threads): its threads take CPU from the server they are measuring."""
    import stripe

    local = threading.local()
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def send(body: str) -> None:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        header = stripe.WebhookSignature.generate_signature_header(body, SECRET) if sign else "t=0,v1=0"
        start = time.perf_counter()
        local.conn.request(
            "POST",
            "/billing/stripe/webhook/",
            body=body.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        response = local.conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)
            statuses.append(response.status)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(send, bodies))
    return latencies, statuses, None  # no per-connection owners from this client


def send_all_asyncio(
    port: int, bodies: list[str], concurrency: int, sign: bool = True
) -> tuple[list[float], list[int], list[tuple[int, int | None]] | None]:
    """The cheap load generator: one thread, `concurrency` keep-alive HTTP/1.1 connections,
    each sending its next delivery as soon as the previous one is answered. Each body is
    signed (the stripe library's own scheme, the current timestamp) just before it is sent.
    Returns the latencies, the statuses, and for each delivery its connection's client port
    and the pid of the gunicorn worker that held it."""
    import stripe

    latencies = [0.0] * len(bodies)
    statuses = [0] * len(bodies)
    # The client's port of the connection each delivery went over, and which server process
    # held each connection's other end (from `ss`, read while every connection is still open).
    client_ports = [0] * len(bodies)
    pending = iter(enumerate(bodies))  # shared by the senders: the event loop is one thread
    open_writers: list = []

    async def sender() -> None:
        reader = writer = None
        for i, body in pending:
            data = body.encode()
            for _attempt in range(2):
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                header = stripe.WebhookSignature.generate_signature_header(body, SECRET) if sign else "t=0,v1=0"
                request = (
                    "POST /billing/stripe/webhook/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\n"
                    f"Stripe-Signature: {header}\r\nContent-Length: {len(data)}\r\n\r\n"
                ).encode() + data
                start = time.perf_counter()
                writer.write(request)
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                    break
                except asyncio.IncompleteReadError as closed:
                    if closed.partial:
                        raise
                # The server closed an idle keep-alive connection before reading this one: again, on a new one.
                writer.close()
                writer = None
            else:
                raise SystemExit("the server closed the connection twice without answering")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            length, close, chunked = 0, False, False
            for line in header_lines:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection":
                    close = value.strip().lower() == "close"
                elif name == "transfer-encoding":
                    chunked = "chunked" in value.lower()
            if chunked:
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    await reader.readexactly(size + 2)
                await reader.readuntil(b"\r\n")
            else:
                await reader.readexactly(length)
            latencies[i] = (time.perf_counter() - start) * 1000
            statuses[i] = int(status_line.split()[1])
            client_ports[i] = writer.get_extra_info("sockname")[1]
            if close:  # gunicorn's sync workers answer one request per connection
                writer.close()
                writer = None
        if writer is not None:
            open_writers.append(writer)

    async def main() -> dict[int, int]:
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        owners = server_pid_by_client_port(port)
        for writer in open_writers:
            writer.close()
        return owners

    owners = asyncio.run(main())
    return latencies, statuses, [(p, owners.get(p)) for p in client_ports]


def server_pid_by_client_port(port: int) -> dict[int, int]:
    """For each established connection to `port`: the client's port -> the pid of the
    server process holding the accepted socket (which gunicorn worker serves it)."""
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True, check=False
    ).stdout
    found = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 5 and "pid=" in line:
            peer_port = int(fields[3].rsplit(":", 1)[1])
            found[peer_port] = int(line.split("pid=", 1)[1].split(",", 1)[0])
    return found


def by_worker(latencies: list[float], owners: list[tuple[int, int | None]]) -> list[dict]:
    """Latency of the deliveries grouped by the gunicorn worker that answered them
    (`owners`: the client port and the worker's pid of each delivery)."""
    groups: dict = {}
    ports: dict = {}
    for latency, (client_port, owner) in zip(latencies, owners, strict=True):
        groups.setdefault(owner, []).append(latency)
        ports.setdefault(owner, set()).add(client_port)
    return [
        {
            "worker_pid": owner,
            "connections": len(ports[owner]),
            "deliveries": len(values),
            "ack_ms_p50": round(statistics.median(values), 1),
            "ack_ms_p95": round(percentile(values, 95), 1),
        }
        for owner, values in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]


def cpu_by_process(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of these processes and all their descendants, by pid (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    found, todo = {}, list(pids)
    while todo:
        pid = todo.pop()
        if pid in found or pid not in stats:
            continue
        found[pid] = stats[pid][1]
        todo += [child for child, (ppid, _) in stats.items() if ppid == pid]
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_process(pids).values())


def cpu_seconds_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU used since `before` by the processes alive now (a PostgreSQL backend that exited
    meanwhile takes its whole total with it; one that started counts from zero)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in cpu_by_process(pids).items())


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def make_durable(pg_dir: Path, database_url: str) -> None:
    """scripts/pg-throwaway.sh turns fsync and synchronous_commit off (right for a test
    cluster); restart it with PostgreSQL's defaults so that a commit costs what it costs
    in production (a WAL flush)."""
    port = database_url.rsplit(":", 1)[1].split("/")[0]
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {pg_dir} -c max_connections=200"
    subprocess.run(
        [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(pg_dir / "data"), "-l", str(pg_dir / "log"), "-w", "-o", options]
        + ["restart"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def postmaster_pid(pg_dir: Path) -> int | None:
    try:
        return int((pg_dir / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite (WAL) instead of a throwaway PostgreSQL")
    parser.add_argument(
        "--no-durable",
        action="store_true",
        help="PostgreSQL without fsync / synchronous_commit (as the test suite runs it)",
    )
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--gunicorn-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--worker-class",
        default="gthread",
        help="gunicorn worker class, given on gunicorn's command line so that its config file cannot change it "
        "(default: gthread, production's)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--no-preload", action="store_true", help="let each gunicorn worker import the app itself")
    parser.add_argument("--keep-alive", type=int, default=None, help="gunicorn --keep-alive seconds (default: its own)")
    parser.add_argument("--db-workers", type=int, default=2)
    parser.add_argument(
        "--db-worker-nice", type=int, default=19, help="niceness of the db_workers (0: same priority as the web)"
    )
    parser.add_argument(
        "--db-worker-sched",
        choices=["idle", "other"],
        default="other",
        help="scheduling class of the db_workers: the normal class with --db-worker-nice (as compose.yaml runs "
        "the worker), or SCHED_IDLE (chrt --idle 0: CPU only when nothing else wants it; measured, not adopted)",
    )
    parser.add_argument("--db-worker-interval", type=float, default=0.05, help="seconds a db_worker sleeps when idle")
    parser.add_argument(
        "--client",
        choices=["asyncio", "threads"],
        default="asyncio",
        help="load generator: one asyncio thread (default) or a thread per sender",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="send the deliveries this many times, each round with fresh event ids for the same invoices "
        "(the first round's numbers are the benchmark; more rounds give more samples of the same ack work "
        "on a noisy machine)",
    )
    args = parser.parse_args()
    assert args.deliveries >= 4 * args.invoices, "need at least four deliveries per invoice"
    send_all = send_all_asyncio if args.client == "asyncio" else send_all_threads

    tmp = Path(tempfile.mkdtemp(prefix="kyoso-bench-"))
    tmp.chmod(0o755)  # the throwaway cluster runs as the postgres user
    pg_dir = tmp / "pg"
    if args.sqlite:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        database_url = subprocess.check_output(
            ["bash", str(ROOT / "scripts" / "pg-throwaway.sh"), "start", str(pg_dir)], text=True
        ).strip()
        if not args.no_durable:
            make_durable(pg_dir, database_url)
    env = {
        "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "STRIPE_WEBHOOK_SECRET": SECRET,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    full_env = {**os.environ, **env}
    procs: list[subprocess.Popen] = []
    try:
        manage = [PY, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=full_env, check=True)
        subprocess.run([*manage, "createcachetable"], env=full_env, check=True)
        setup_django(env)
        invoice_pks = seed(args.invoices)
        bodies = build_deliveries(invoice_pks, args.deliveries, args.seed)
        from django.db import connections

        connections.close_all()

        port = free_port()
        log = open(tmp / "server.log", "w")  # noqa: SIM115
        gunicorn = [
            # Production's web process: deploy/gunicorn.conf.py (preload, the master's gc.freeze,
            # the access log); the options below override bind, workers, worker class and threads.
            str(ROOT / "scripts" / "web"),
            "kyoso_site.wsgi",
            "--pythonpath",
            f"{ROOT / 'site'},{ROOT}",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.gunicorn_workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            *([] if args.keep_alive is None else ["--keep-alive", str(args.keep_alive)]),
        ]
        web_env = {**full_env, "WEB_PRELOAD": "0" if args.no_preload else "1"}
        web = subprocess.Popen(gunicorn, env=web_env, stdout=log, stderr=log)
        procs.append(web)
        workers = []
        for i in range(args.db_workers):
            command = [*manage, "db_worker", "--interval", str(args.db_worker_interval), "--no-startup-delay"]
            command += ["--worker-id", f"bench-{i}"]
            if args.db_worker_sched == "idle":
                command = ["chrt", "--idle", "0", *command]
            elif args.db_worker_nice:
                command = ["nice", "-n", str(args.db_worker_nice), *command]
            workers.append(subprocess.Popen(command, env=full_env, stdout=log, stderr=log))
        procs += workers
        wait_for(port)
        # Let the workers finish the seeding's own queued tasks, and warm every gunicorn
        # worker (imports, URL resolvers, connections) with unsigned posts, which are refused
        # before anything is stored.
        from django_tasks_db.models import DBTaskResult

        while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            time.sleep(0.2)
        send_all(port, ["{}"] * (args.gunicorn_workers * 50), args.concurrency, sign=False)
        connections.close_all()
        # The floor: what gunicorn, Django's handler and the short path cost for a delivery
        # refused before any database work (no signature).
        floor_requests = 500
        web_before = cpu_seconds([web.pid])
        send_all(port, ["{}"] * floor_requests, args.concurrency, sign=False)
        web_floor_ms = (cpu_seconds([web.pid]) - web_before) * 1000 / floor_requests

        pg_pid = None if args.sqlite else postmaster_pid(pg_dir)
        groups = {"web": [web.pid], "db_workers": [w.pid for w in workers], "postgresql": [pg_pid] if pg_pid else []}
        from billing.models import Payment, WebhookEvent, WebhookEventStatus
        from membership.models import MembershipTransition

        rounds = []
        all_statuses: list[int] = []
        for round_ in range(args.rounds):
            if round_:
                # Fresh event ids for the same invoices: the same ack work, lighter processing
                # (the invoices are paid already), and the counts at the end must not move.
                bodies = build_deliveries(invoice_pks, args.deliveries, args.seed + round_)
                connections.close_all()
            cpu_before = {name: cpu_by_process(pids) for name, pids in groups.items()}
            client_before = own_cpu_seconds()
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            latencies, statuses, owners = send_all(port, bodies, args.concurrency)
            sent_in = time.perf_counter() - started
            client_cpu = own_cpu_seconds() - client_before
            cpu_during_send = {
                name: round(cpu_seconds_since(cpu_before[name], pids), 2) for name, pids in groups.items()
            }
            web_cpu_by_pid = {
                pid: round(cpu - cpu_before["web"].get(pid, 0.0), 2) for pid, cpu in cpu_by_process([web.pid]).items()
            }
            deadline = time.time() + 600
            while WebhookEvent.objects.filter(status=WebhookEventStatus.RECEIVED).exists() and time.time() < deadline:
                time.sleep(0.2)
            drained_in = time.perf_counter() - started
            all_statuses += statuses
            rounds.append(
                {
                    "load_average_before": round(load_before, 2),
                    "acknowledged_2xx": sum(200 <= s < 300 for s in statuses),
                    "ack_ms_p50": round(statistics.median(latencies), 1),
                    "ack_ms_p95": round(percentile(latencies, 95), 1),
                    "ack_ms_p99": round(percentile(latencies, 99), 1),
                    "ack_ms_max": round(max(latencies), 1),
                    "send_seconds": round(sent_in, 2),
                    "acks_per_second": round(len(statuses) / sent_in),
                    "cpu_seconds_while_sending": {"client": round(client_cpu, 2), **cpu_during_send},
                    "web_cpu_ms_per_ack": round(cpu_during_send["web"] * 1000 / len(statuses), 2),
                    # What the server side took per delivery while they arrived: web + PostgreSQL +
                    # whatever the db_workers took meanwhile (the client's own CPU left out).
                    "server_cpu_ms_per_ack": round(sum(cpu_during_send.values()) * 1000 / len(statuses), 2),
                    "all_processed_seconds": round(drained_in, 2),
                    # Which gunicorn worker answered how many deliveries (its connections), how
                    # fast, and the CPU seconds each web process used while sending.
                    "by_worker": [
                        {**w, "cpu_seconds": web_cpu_by_pid.get(w["worker_pid"])}
                        for w in (by_worker(latencies, owners) if owners else [])
                    ],
                }
            )

        events = WebhookEvent.objects.count()
        failed = WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED).count()
        payments = Payment.objects.count()
        activations = MembershipTransition.objects.filter(to_status="active").count()
        report = {
            "database": "sqlite" if args.sqlite else ("postgresql" + ("" if args.no_durable else " (durable)")),
            "gunicorn": f"{args.gunicorn_workers} x {args.worker_class}"
            + (f" x {args.threads} threads" if args.threads > 1 else "")
            + ", scripts/web (deploy/gunicorn.conf.py)"
            + (", no preload" if args.no_preload else "")
            + ("" if args.keep_alive is None else f", keep-alive {args.keep_alive} s"),
            # What gunicorn itself says it ran (it turns sync into gthread when threads > 1).
            "gunicorn_ran": next(
                (
                    line.split("Using worker: ", 1)[1].strip()
                    for line in (tmp / "server.log").read_text().splitlines()
                    if "Using worker: " in line
                ),
                None,
            ),
            "db_workers": f"{args.db_workers}, "
            + ("SCHED_IDLE" if args.db_worker_sched == "idle" else f"nice {args.db_worker_nice}")
            + f", interval {args.db_worker_interval} s",
            "client": args.client,
            **rounds[0],
            "web_cpu_ms_per_refused_unsigned_post": round(web_floor_ms, 2),
            "deliveries": len(all_statuses),
            "acknowledged_2xx": sum(200 <= s < 300 for s in all_statuses),
            "statuses": {str(code): all_statuses.count(code) for code in sorted(set(all_statuses))},
            "distinct_events_stored": events,
            "failed_events": failed,
            "payments": payments,
            "activations": activations,
        }
        if args.rounds > 1:
            report["rounds"] = rounds
            for key in ("ack_ms_p50", "ack_ms_p95", "ack_ms_p99", "acks_per_second", "server_cpu_ms_per_ack"):
                report[f"median_over_rounds_{key}"] = statistics.median(r[key] for r in rounds)
        print(json.dumps(report, indent=2))
        ok = (
            report["acknowledged_2xx"] == args.deliveries * args.rounds
            and events == 4 * args.invoices * args.rounds
            and payments == args.invoices
            and activations == args.invoices
            and failed == 0
        )
        print("OK: every delivery acknowledged, exactly one payment and one activation per invoice" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if not args.sqlite:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg-throwaway.sh"), "stop", str(pg_dir)], check=False)


if __name__ == "__main__":
    sys.exit(main())
