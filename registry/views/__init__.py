"""The registry's pages, one module per concern (`indicators`, `outreach`); registry.urls names
the views of each module."""
