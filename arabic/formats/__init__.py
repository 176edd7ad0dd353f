"""Django's formats for Arabic where its own put the day after the month (FORMAT_MODULE_PATH).

They are what the admin shows (history, schedules, locks); the public site
writes its dates with `arabic.dates`.
"""
