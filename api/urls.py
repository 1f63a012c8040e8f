"""/api/: the versioned JSON API (api.main)."""

urlpatterns: list = []
