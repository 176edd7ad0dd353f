from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("التغطية المباشرة")

    def ready(self):
        from live import signal_handlers
        from live.demo import demo_live_load
        from news.signals import demo_newsroom_loaded

        signal_handlers.register()
        demo_newsroom_loaded.connect(demo_live_load, dispatch_uid="live-demo")
