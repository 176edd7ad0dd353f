from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's own user model, so that newsroom fields can be added later without a swap."""
