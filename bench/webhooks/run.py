"""Webhook benchmark: 1,000 signed Stripe deliveries for 200 invoices, a fifth of them
duplicates, shuffled, 20 at a time, to gunicorn on 127.0.0.1 with the database task
backend and a db_worker. Reports acknowledgement latency and checks that exactly 200
payments and 200 activations happened.

    .venv/bin/python bench/webhooks/run.py            # PostgreSQL (throwaway cluster)
    .venv/bin/python bench/webhooks/run.py --sqlite   # the embedded SQLite (WAL)
"""

import argparse
import http.client
import json
import os
import random
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
    from kyoso_site.demo.home import ensure_home
    from membership import services as ms
    from membership.models import Organization, Tier
    from tests.billing.conftest import make_issuer

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


def send_all(port: int, bodies: list[str], concurrency: int, sign: bool = True) -> tuple[list[float], list[int]]:
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
    return latencies, statuses


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite (WAL) instead of a throwaway PostgreSQL")
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--gunicorn-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--db-workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    assert args.deliveries >= 4 * args.invoices, "need at least four deliveries per invoice"

    tmp = Path(tempfile.mkdtemp(prefix="kyoso-bench-"))
    tmp.chmod(0o755)  # the throwaway cluster runs as the postgres user
    pg_dir = tmp / "pg"
    if args.sqlite:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        database_url = subprocess.check_output(
            ["bash", str(ROOT / "scripts" / "pg-throwaway.sh"), "start", str(pg_dir)], text=True
        ).strip()
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
        procs.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "kyoso_site.wsgi",
                    "--pythonpath",
                    f"{ROOT / 'site'},{ROOT}",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    str(args.gunicorn_workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "8",
                ],
                env=full_env,
                stdout=log,
                stderr=log,
            )
        )
        for i in range(args.db_workers):
            procs.append(
                subprocess.Popen(
                    [*manage, "db_worker", "--interval", "0.05", "--no-startup-delay", "--worker-id", f"bench-{i}"],
                    env=full_env,
                    stdout=log,
                    stderr=log,
                )
            )
        wait_for(port)
        # Let the workers finish the seeding's own queued tasks, and warm every gunicorn
        # worker (imports, URL resolvers, connections) with unsigned posts, which are refused
        # before anything is stored.
        from django_tasks_db.models import DBTaskResult

        while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            time.sleep(0.2)
        send_all(port, ["{}"] * (args.gunicorn_workers * 50), args.concurrency, sign=False)

        started = time.perf_counter()
        latencies, statuses = send_all(port, bodies, args.concurrency)
        sent_in = time.perf_counter() - started

        from billing.models import Payment, WebhookEvent, WebhookEventStatus
        from membership.models import MembershipTransition

        deadline = time.time() + 600
        while WebhookEvent.objects.filter(status=WebhookEventStatus.RECEIVED).exists() and time.time() < deadline:
            time.sleep(0.2)
        drained_in = time.perf_counter() - started

        events = WebhookEvent.objects.count()
        failed = WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED).count()
        payments = Payment.objects.count()
        activations = MembershipTransition.objects.filter(to_status="active").count()
        report = {
            "database": "sqlite" if args.sqlite else "postgresql",
            "deliveries": len(statuses),
            "acknowledged_2xx": sum(200 <= s < 300 for s in statuses),
            "distinct_events_stored": events,
            "failed_events": failed,
            "payments": payments,
            "activations": activations,
            "ack_ms_p50": round(statistics.median(latencies), 1),
            "ack_ms_p95": round(percentile(latencies, 95), 1),
            "ack_ms_p99": round(percentile(latencies, 99), 1),
            "ack_ms_max": round(max(latencies), 1),
            "send_seconds": round(sent_in, 2),
            "all_processed_seconds": round(drained_in, 2),
        }
        print(json.dumps(report, indent=2))
        ok = (
            report["acknowledged_2xx"] == args.deliveries
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
