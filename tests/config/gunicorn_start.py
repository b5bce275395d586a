"""gunicorn hooks for the servers the tests start: the worker loads the app (config.wsgi, which
freezes what it loaded) with the garbage collector waiting, then serves with it on. Its passes
over the growing heap while Django, Wagtail and the URLs load were 0.4 of a start's 1.6 s of
CPU; nothing the tests look at depends on them."""

import gc


def post_fork(server, worker):
    gc.disable()


def post_worker_init(worker):
    gc.enable()
