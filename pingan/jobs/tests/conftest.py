import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Job inputs and results go to a throw-away media directory; jobs are dispatched synchronously."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PINGAN_JOBS_MODE = "sync"
    return settings.MEDIA_ROOT
