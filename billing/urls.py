"""The member area's invoices (mounted at /<lang>/members/invoices/)."""

from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("<int:pk>/receipt/", views.receipt_pdf, name="receipt-pdf"),
    path("<int:pk>/pay/", views.invoice_pay, name="invoice-pay"),
    path("<int:pk>/credit-notes/<int:note_pk>/", views.credit_note_pdf, name="credit-note-pdf"),
]
