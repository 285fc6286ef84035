"""Storages for files that no address may serve."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of files read by the server's own code only (the registry's notices): it has no
    URL, so a template or a view that asks for one fails loudly instead of linking the file."""

    def url(self, name):
        raise ValueError(f"{name} is kept in a private storage: it has no URL.")
