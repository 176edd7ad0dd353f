from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    name = "readership"
    verbose_name = _("القراءات")

    def ready(self):
        from news.signals import demo_newsroom_loaded
        from readership.demo import demo_reads_load

        demo_newsroom_loaded.connect(demo_reads_load, dispatch_uid="readership-demo-reads")
