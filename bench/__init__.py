"""The benchmark suite (``make bench``): synthetic workbooks, the renderer against plain
docxtpl, ``nastavnik process`` at every size, the watcher's latency and batch signing."""
