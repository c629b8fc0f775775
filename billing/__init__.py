"""Invoices in yen that meet Japan's qualified-invoice rules, payments by bank transfer or Stripe."""
