"""Indexing and querying: Elasticsearch in production, the database backend by default."""
