from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with our profile fields and a department filter."""

    user_viewset = "people.viewsets.PortalUserViewSet"
