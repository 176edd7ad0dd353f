"""The admin of corrections and replies: the readers' queue, the append-only record, accepting a submission.

Registered in corrections/wagtail_hooks.py.
"""
