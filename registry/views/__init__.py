"""The registry's pages, one module per concern (`indicators`, `notices`, `outreach`); registry.urls names
the views of each module."""
