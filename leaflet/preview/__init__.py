"""`leaflet preview`: a local page that shows every output of one content file as it is saved.

`server.py` serves the page and the outputs, `session.py` keeps what the page shows and runs the
builds in `worker.py`'s process, `watch.py` sees the saves, `page.py` writes the page's HTML.
"""
