"""What the inquiries app announces. The CRM listens; nothing here calls it.

inquiry_received(sender=Inquiry, inquiry=<Inquiry>) is sent once the inquiry
is committed to the database.
"""

from django.dispatch import Signal

inquiry_received = Signal()
