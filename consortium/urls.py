from django.urls import path  # noqa: F401

app_name = "consortium"

urlpatterns: list = []
