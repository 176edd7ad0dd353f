from django.db.models.signals import post_delete, post_save

from breaking.models import BreakingBanner
from breaking.services import banner_forget


def register():
    post_save.connect(banner_forget, sender=BreakingBanner, dispatch_uid="breaking-saved")
    post_delete.connect(banner_forget, sender=BreakingBanner, dispatch_uid="breaking-deleted")
