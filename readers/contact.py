"""Readers' contact details in the admin (email, IP address, browser): only for the roles that answer readers.

A model that keeps them lists them in `contact_fields` and declares the
`view_reader_contact` permission; its admin views hide those fields from
anyone without it (Reporters read the queues without seeing who wrote).
"""

from wagtail.snippets.views.snippets import IndexView, InspectView

CONTACT_PERMISSION = "view_reader_contact"


def contact_permission(model) -> str:
    return f"{model._meta.app_label}.{CONTACT_PERMISSION}"


def sees_reader_contact(user, model) -> bool:
    return user.has_perm(contact_permission(model))


def _without_contact(names, model):
    if not names:
        return names
    return [name for name in names if name not in model.contact_fields]


class ContactHidingIndexView(IndexView):
    """A listing with no column, export column or search on a contact field for those who may not see them."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not sees_reader_contact(request.user, self.model):
            self.list_display = _without_contact(self.list_display, self.model)
            self.list_export = _without_contact(self.list_export, self.model)
            self.search_fields = _without_contact(self.search_fields, self.model)


class ContactHidingInspectView(InspectView):
    def get_fields(self):
        fields = super().get_fields()
        if sees_reader_contact(self.request.user, self.model):
            return fields
        return _without_contact(fields, self.model)
