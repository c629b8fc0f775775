"""A payment provider of a site's own, for tests: it records what billing asks of it."""

from billing.providers import PaymentProvider


class RecordingProvider(PaymentProvider):
    key = "recording"
    calls: list[tuple[str, int]] = []
    #: Invoices the provider says it holds (billing_reconcile hands it the others).
    held: set[int] = set()

    def invoice_issued(self, *, invoice):
        self.calls.append(("invoice_issued", invoice.pk))
        self.held.add(invoice.pk)

    def invoice_at_provider(self, *, invoice):
        return invoice.pk in self.held

    def sync_invoice(self, *, invoice):
        self.calls.append(("sync_invoice", invoice.pk))
        return "checked at the recording provider"

    def invoice_paid_elsewhere(self, *, invoice):
        self.calls.append(("invoice_paid_elsewhere", invoice.pk))
