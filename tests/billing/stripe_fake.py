"""A fake of Stripe's HTTP API, plugged into the stripe library as its HTTP client.

Responses are Stripe's own example objects (shared/stripe/fixtures3.json) with our ids,
amounts, "jpy" and statuses, so our code runs against what Stripe really sends.
Idempotency keys behave as at Stripe: the same key returns the first response.
Webhook events are built from the same shapes and signed with the library's scheme.
"""

import copy
import itertools
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import stripe

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "stripe" / "fixtures3.json"
if not FIXTURES.exists():  # a worktree sits one level deeper than the main checkout
    FIXTURES = Path("/work/shared/stripe/fixtures3.json")
RESOURCES = json.loads(FIXTURES.read_text())["resources"]
WEBHOOK_SECRET = "whsec_test_kyoso_0123456789abcdef"

_ids = itertools.count(1)


def resource(kind: str, /, **changes) -> dict:
    obj = copy.deepcopy(RESOURCES[kind])
    if "currency" in obj:
        obj["currency"] = "jpy"
    obj.update(changes)
    return obj


def unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts/lists."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class FakeStripe(stripe.HTTPClient):
    name = "kyoso-fake"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self.by_key: dict[str, tuple[str, int, dict]] = {}
        self.customers: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.items: list[dict] = []
        self.tax_ids: dict[str, list[dict]] = {}
        self.sessions: dict[str, dict] = {}
        self.credit_notes: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.fail_next: int = 0

    # stripe.HTTPClient ------------------------------------------------------------------
    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        params = unflatten(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        key = (headers or {}).get("Idempotency-Key")
        self.requests.append({"method": method.upper(), "path": parts.path, "params": params, "key": key})
        if self.fail_next:
            self.fail_next -= 1
            return json.dumps({"error": {"type": "api_error", "message": "fake outage"}}), 500, {}
        if method.upper() == "POST" and key and key in self.by_key:
            return self.by_key[key]
        body, code = self.route(method.upper(), parts.path, params)
        response = (json.dumps(body), code, {"Request-Id": f"req_{next(_ids)}"})
        if method.upper() == "POST" and key:
            self.by_key[key] = response
        return response

    def close(self):
        pass

    # Routing ---------------------------------------------------------------------------
    def route(self, method: str, path: str, params: dict):
        seg = path.strip("/").split("/")[1:]  # drop "v1"
        if seg == ["customers"] and method == "POST":
            cid = f"cus_fake{next(_ids)}"
            self.customers[cid] = resource("customer", id=cid, **_pick(params, *CUSTOMER_FIELDS))
            for data in params.get("tax_id_data", []):  # Stripe adds these tax ids with the customer
                self._add_tax_id(cid, data["type"], data["value"])
            return self.customers[cid], 200
        if len(seg) == 2 and seg[0] == "customers":
            cust = self.customers[seg[1]]
            if method == "POST":
                for name, value in _pick(params, *CUSTOMER_FIELDS).items():
                    if isinstance(value, dict) and isinstance(cust.get(name), dict):
                        # Stripe merges metadata and address; an empty string removes a metadata key.
                        cust[name] = {k: v for k, v in {**cust[name], **value}.items() if v != "" or name != "metadata"}
                    else:
                        cust[name] = value
            return cust, 200
        if len(seg) == 3 and seg[0] == "customers" and seg[2] == "tax_ids":
            if method == "GET":
                return {"object": "list", "data": self.tax_ids.get(seg[1], []), "has_more": False, "url": path}, 200
            return self._add_tax_id(seg[1], params["type"], params["value"]), 200
        if len(seg) == 4 and seg[0] == "customers" and seg[2] == "tax_ids" and method == "DELETE":
            self.tax_ids[seg[1]] = [t for t in self.tax_ids.get(seg[1], []) if t["id"] != seg[3]]
            return {"id": seg[3], "object": "tax_id", "deleted": True}, 200
        if seg == ["credit_notes"] and method == "POST":
            body = self._credit_note(params)
            return body, (400 if "error" in body else 200)
        if seg == ["refunds"] and method == "POST":
            rid = f"re_fake{next(_ids)}"
            self.refunds[rid] = resource(
                "refund",
                id=rid,
                amount=int(params["amount"]),
                payment_intent=params.get("payment_intent"),
                metadata=params.get("metadata", {}),
                status="succeeded",
            )
            return self.refunds[rid], 200
        if seg == ["invoices"] and method == "POST":
            iid = f"in_fake{next(_ids)}"
            inv = resource(
                "invoice",
                id=iid,
                status="draft",
                customer=params["customer"],
                collection_method=params.get("collection_method"),
                metadata=params.get("metadata", {}),
                amount_due=0,
                amount_paid=0,
                amount_remaining=0,
                total=0,
                subtotal=0,
                hosted_invoice_url=None,
            )
            inv["lines"] = {"object": "list", "data": [], "has_more": False, "url": f"/v1/invoices/{iid}/lines"}
            self.invoices[iid] = inv
            return inv, 200
        if seg == ["invoiceitems"] and method == "POST":
            item = resource("invoiceitem", id=f"ii_fake{next(_ids)}", amount=int(params["amount"]))
            item["description"] = params.get("description")
            item["invoice"] = params.get("invoice")
            self.items.append(item)
            inv = self.invoices[params["invoice"]]
            for field in ("amount_due", "amount_remaining", "total", "subtotal"):
                inv[field] += int(params["amount"])
            return item, 200
        if len(seg) == 2 and seg[0] == "invoices" and method == "GET":
            return self.invoices[seg[1]], 200
        if len(seg) == 3 and seg[0] == "invoices":
            inv = self.invoices[seg[1]]
            if seg[2] == "finalize":
                inv["status"] = "open"
                inv["number"] = f"FAKE-{seg[1][-4:]}"
                inv["hosted_invoice_url"] = f"https://invoice.stripe.test/{seg[1]}"
            elif seg[2] == "pay":
                inv["status"] = "paid"
                inv["paid_out_of_band"] = params.get("paid_out_of_band") == "true"
            elif seg[2] == "void":
                inv["status"] = "void"
            elif seg[2] == "mark_uncollectible":
                inv["status"] = "uncollectible"
            return inv, 200
        if seg == ["checkout", "sessions"] and method == "POST":
            sid = f"cs_test_fake{next(_ids)}"
            sess = resource(
                "checkout.session",
                id=sid,
                url=f"http://127.0.0.1:9/checkout/{sid}",
                metadata=params.get("metadata", {}),
                client_reference_id=params.get("client_reference_id"),
                amount_total=int(params["line_items"][0]["price_data"]["unit_amount"]),
                payment_status="unpaid",
                status="open",
                success_url=params.get("success_url"),
                cancel_url=params.get("cancel_url"),
            )
            self.sessions[sid] = sess
            return sess, 200
        return {"error": {"type": "invalid_request_error", "message": f"fake has no {method} {path}"}}, 404

    def _add_tax_id(self, customer: str, type_: str, value: str) -> dict:
        tid = resource("tax_id", id=f"txi_fake{next(_ids)}", type=type_, value=value, customer=customer, country="JP")
        self.tax_ids.setdefault(customer, []).append(tid)
        return tid

    def _credit_note(self, params: dict) -> dict:
        """A credit note on a paid Stripe invoice; refund_amount makes a refund, as at Stripe."""
        inv = self.invoices.get(params["invoice"])
        if inv is None or inv["status"] != "paid":
            return {"error": {"type": "invalid_request_error", "message": "invoice is not paid"}}
        total = sum(int(line["unit_amount"]) * int(line.get("quantity", 1)) for line in params.get("lines", []))
        refund_amount = int(params.get("refund_amount") or 0)
        refunds = []
        if refund_amount:
            rid = f"re_fake{next(_ids)}"
            self.refunds[rid] = resource("refund", id=rid, amount=refund_amount, status="succeeded")
            refunds = [{"amount_refunded": refund_amount, "refund": rid, "type": "refund"}]
        cid = f"cn_fake{next(_ids)}"
        note = resource(
            "credit_note",
            id=cid,
            invoice=inv["id"],
            customer=inv["customer"],
            total=total,
            subtotal=total,
            amount=total,
            memo=params.get("memo"),
            metadata=params.get("metadata", {}),
            refunds=refunds,
            out_of_band_amount=int(params["out_of_band_amount"]) if params.get("out_of_band_amount") else None,
            post_payment_amount=total,
            pre_payment_amount=0,
            type="post_payment",
            status="issued",
        )
        note.pop("lines", None)
        self.credit_notes[cid] = note
        return note

    # What tests look at ------------------------------------------------------------------
    def posts(self, prefix: str = "") -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"].startswith(prefix)]


CUSTOMER_FIELDS = ("name", "email", "phone", "address", "metadata", "preferred_locales")


def _pick(params: dict, *names) -> dict:
    return {n: params[n] for n in names if n in params}


# Webhook events ----------------------------------------------------------------------------


def event(type_: str, obj: dict, *, event_id: str | None = None) -> dict:
    evt = resource("event", id=event_id or f"evt_fake{next(_ids)}", type=type_, created=int(time.time()))
    evt["data"] = {"object": obj}
    evt["api_version"] = "2025-08-27.basil"
    return evt


def invoice_object(invoice, *, status: str, stripe_id: str | None = None, paid: int | None = None, **extra) -> dict:
    """A Stripe invoice object for one of ours, as Stripe would send it in an event."""
    obj = resource(
        "invoice",
        id=stripe_id or invoice.stripe_invoice_id or f"in_fake{invoice.pk}",
        status=status,
        collection_method="send_invoice",
        metadata={"kyoso_invoice_id": str(invoice.pk)},
        total=invoice.total,
        amount_due=invoice.total,
        amount_paid=invoice.total if paid is None and status == "paid" else (paid or 0),
        amount_remaining=0 if status == "paid" else invoice.total,
        customer_name=invoice.recipient_name,
        hosted_invoice_url=f"https://invoice.stripe.test/{invoice.pk}",
    )
    obj["status_transitions"] = {**obj.get("status_transitions", {}), "paid_at": int(time.time())}
    obj.update(extra)
    return obj


def checkout_object(invoice, *, payment_status: str = "paid", payment_intent: str | None = None) -> dict:
    return resource(
        "checkout.session",
        id=f"cs_test_{invoice.pk}",
        mode="payment",
        status="complete",
        payment_status=payment_status,
        payment_intent=payment_intent or f"pi_fake{invoice.pk}",
        amount_total=invoice.amount_due or invoice.total,
        amount_subtotal=invoice.amount_due or invoice.total,
        client_reference_id=str(invoice.pk),
        metadata={"kyoso_invoice_id": str(invoice.pk)},
    )


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def post_event(client, evt: dict, **kwargs):
    body = json.dumps(evt)
    return client.post(
        "/billing/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, **kwargs),
    )
