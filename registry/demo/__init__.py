"""The registry's demo data, steps of the `demo` command (registry.apps lists them), one module per
concern: `indicators` (read from the demo reports' texts, and the banks' notices), `outreach`."""
