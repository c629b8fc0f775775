"""Everything that changes billing state, one module per job (import from the module):

- `tax_rates`: the consumption-tax rates invoices are computed with;
- `issuer`: who issues the invoices;
- `invoices`: the invoice lifecycle (draft → open → paid | void | uncollectible);
- `payments`: money received, and the organization's credit balance;
- `credit_notes`: qualified return invoices (適格返還請求書), one writer for all callers;
- `customers`: keeping Stripe customers in step with organizations.

Each invoice transition locks the invoice row, checks the current state, writes the new
state and a history row (who, when, why) and announces it, in one transaction.
"""
