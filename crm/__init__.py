"""The partner CRM: organizations, contacts, activities, opportunities. Listens to the other apps' announcements."""
