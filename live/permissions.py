from wagtail.permission_policies import ModelPermissionPolicy

from live.services import PUBLISH_PERMISSION, entry_was_published


class LiveEntryPermissionPolicy(ModelPermissionPolicy):
    """A published entry is never deleted, and only those who may publish change it."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and entry_was_published(instance):
            if action == "delete":
                return False
            return user.is_active and user.has_perm(PUBLISH_PERMISSION) and super().user_has_permission(user, action)
        return super().user_has_permission_for_instance(user, action, instance)


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, changes or deletes a correction note once it is published."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("change", "delete")]
        if not actions:
            return self.auth_model._default_manager.none()
        return super().users_with_any_permission(actions)
