"""The web processes load config.wsgi, which raises the collector's first threshold (config/gcsettings.py)."""

import gc


def test_wsgi_application_tunes_the_collector(monkeypatch):
    before = gc.get_threshold()
    monkeypatch.setenv("GC_THRESHOLD", "40000")
    try:
        from config import gcsettings

        gcsettings.tune()
        assert gc.get_threshold() == (40000, 20, 10)
        monkeypatch.setenv("GC_THRESHOLD", "0")
        gc.set_threshold(*before)
        gcsettings.tune()
        assert gc.get_threshold() == before  # 0 keeps Python's own
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
