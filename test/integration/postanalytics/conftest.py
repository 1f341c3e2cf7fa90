"""Fixtures that run the real `waf postanalytics` on loopback ports (see pa_client.py)."""
import pytest


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text("t0ken-one\n")
    return path
