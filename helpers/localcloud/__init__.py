"""The local cloud: one server process, moto's control plane plus the data planes moto lacks.

- ``cloud``: the WSGI application (extensions first, moto behind them)
- ``server``: the threaded HTTP server (TCP_NODELAY, loopback by default)
- ``extensions``: the list of parts plugged in around moto
- ``admin``: health, settings and reset endpoints; ``client`` talks to them
- ``control`` and ``state``: the background instance and its state file
- ``identity``: the learner's local administrator user and key
"""
