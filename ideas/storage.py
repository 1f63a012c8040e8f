from django.core.files.storage import storages
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """Attachments live outside MEDIA_ROOT's public URL space; views stream them
    after a permission check."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()
