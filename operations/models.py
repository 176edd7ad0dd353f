from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The task worker's last sign of life, for /health/ (see `operations.worker`).

    One row per supervisor (`manage.py run_worker`), written every few seconds
    while its db_worker runs; removed when it stops cleanly.
    """

    name = models.CharField(_("العامل"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("بدأ في"))
    beat_at = models.DateTimeField(_("آخر إشارة"))
    restarts = models.PositiveIntegerField(_("مرات إعادة التشغيل"), default=0)

    class Meta:
        verbose_name = _("نبض عامل المهام")
        verbose_name_plural = _("نبض عمّال المهام")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DailyTaskRun(models.Model):
    """A daily task queued for one day (`operations.scheduling.daily_tasks_enqueue`).

    The unique pair is what lets only one of several servers' task workers
    queue it: the others' inserts fail.
    """

    task = models.CharField(_("المهمة"), max_length=200)
    day = models.DateField(_("اليوم"))
    enqueued_at = models.DateTimeField(_("أُضيفت إلى الطابور في"), auto_now_add=True)

    class Meta:
        verbose_name = _("تشغيل يومي لمهمة")
        verbose_name_plural = _("التشغيل اليومي للمهام")
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="operations_daily_task_once_a_day")]

    def __str__(self):
        return f"{self.task} @ {self.day}"
