from wagtail.permission_policies import ModelPermissionPolicy


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, may change or delete a published record."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("change", "delete")]
        if not actions:
            return self.auth_model._default_manager.none()
        return super().users_with_any_permission(actions)
