from django.core.files.storage import storages


def private_storage():
    """Attachments live outside MEDIA_ROOT's public URL space; views stream them
    after a permission check. A callable, so migrations record the reference and
    not whichever backend the settings of the moment chose."""
    return storages["private"]
