"""The demo content `make run` shows: pages, people, events, membership and invoices in
Japanese and English (`manage.py load_demo`), and a demo administrator (`manage.py
ensure_admin`). Installed by the development and test settings only; production leaves
it out (README, "Deploying")."""
