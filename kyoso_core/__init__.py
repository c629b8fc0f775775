"""What every Kyoso app shares: abstract bases for status history, the rate limiter,
the admin's shared permission policies and text normalization. It holds no models of
its own and imports no Kyoso app; every plugin app and the host site may import it."""
