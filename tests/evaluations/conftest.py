from .fixtures import demo, demo_db  # noqa: F401 - fixtures for the tests in this folder
