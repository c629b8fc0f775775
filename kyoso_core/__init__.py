"""What every Kyoso app shares: abstract bases for status history (history.py), the public
forms' rate limiter (ratelimit.py), announcements after the commit (signals.py), the admin's permission policy, read-only viewset and
service edit view (admin.py) and the base of every app's settings (app_settings.py). It
holds no models of its own and imports no Kyoso app; every plugin app and the host site
may import it."""
