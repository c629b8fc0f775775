"""Webhook events keep the body exactly as the provider signed it, instead of its parsed
JSON. Events stored before keep their payload, written out as JSON text."""

import json

from django.db import migrations, models


def payload_to_body(apps, schema_editor):
    WebhookEvent = apps.get_model("billing", "WebhookEvent")
    for event in WebhookEvent.objects.only("pk", "payload").iterator():
        WebhookEvent.objects.filter(pk=event.pk).update(body=json.dumps(event.payload))


def body_to_payload(apps, schema_editor):
    WebhookEvent = apps.get_model("billing", "WebhookEvent")
    for event in WebhookEvent.objects.only("pk", "body").iterator():
        WebhookEvent.objects.filter(pk=event.pk).update(payload=json.loads(event.body))


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0005_customer_sync_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookevent",
            name="body",
            field=models.TextField(default="", verbose_name="body as received"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="payload",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(payload_to_body, body_to_payload),
        migrations.RemoveField(
            model_name="webhookevent",
            name="payload",
        ),
    ]
