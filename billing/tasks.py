"""Background work (django-tasks): immediate on the embedded stack, a db_worker in production."""

from django_tasks import task


@task()
def process_webhook_event(event_pk: int) -> str:
    from .models import WebhookEvent
    from .webhooks import webhook_event_process

    event = WebhookEvent.objects.filter(pk=event_pk).first()
    if event is None:
        return "gone"
    return webhook_event_process(event=event)
