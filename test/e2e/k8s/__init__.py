"""Helpers for the Kubernetes tests: the controller process, certificates, a tiny API client."""
