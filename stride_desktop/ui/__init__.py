"""The Qt editor. Everything that imports PySide6 lives here (and in ``app.py``)."""
