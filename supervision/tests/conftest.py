import pytest


@pytest.fixture
def smaller_demo(monkeypatch):
    """The demo reports at a quarter of their size: the acts built from them are the same kind
    (every outcome, several types), in a quarter of the time."""
    import signals.demo

    monkeypatch.setattr(signals.demo, "DEMO_REPORTS_PER_REGION", signals.demo.DEMO_REPORTS_PER_REGION // 4)
    monkeypatch.setattr(signals.demo, "DEMO_REPORTS_PER_MONTH", signals.demo.DEMO_REPORTS_PER_MONTH // 4)
