"""Planned, not built yet (an empty app): the partner CRM (organizations, contacts, activities,
opportunities), listening to the other apps' announcements."""
