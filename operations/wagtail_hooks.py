"""The admin dashboard warns editors when the machinery behind publishing is falling behind."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from operations.health import health_checks


class OperationsAlertPanel(Component):
    """Shown only when something is wrong: a missed publication time, a task queue nobody runs."""

    name = "operations_alert"
    order = 10  # above everything else on the dashboard
    template_name = "operations/admin/alert_panel.html"

    def __init__(self, problems):
        self.problems = problems

    def get_context_data(self, parent_context):
        return {"problems": self.problems}


@hooks.register("construct_homepage_panels")
def add_operations_alert_panel(request, panels):
    problems = [check for check in health_checks() if not check.ok and check.name != "database"]
    if problems:
        panels.append(OperationsAlertPanel(problems))
