"""The embedded shared cache ("disk"): diskcache's Django backend, left open between requests."""

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    """Django closes every cache when a request finishes, which suits network clients.

    diskcache opens its SQLite files again on the next use, at about 1.5 ms a
    shard and a handful of shards a request; its author's advice is to open it
    as little as possible. Its connections are per thread and reopened after
    a fork (gunicorn's workers), so keeping them is safe.
    """

    def close(self, **kwargs):
        pass
