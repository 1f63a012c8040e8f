"""Who may see and do what in onboarding. Views, templates and services all ask here."""

from .models import Enrolment, ModulePage

MANAGE_ONBOARDING = "training.manage_onboarding"


def can_manage_onboarding(user) -> bool:
    """Enrol people (one by one or in bulk) and read the onboarding report."""
    return user.is_authenticated and user.has_perm(MANAGE_ONBOARDING)


def prerequisites_met(user, module: ModulePage) -> bool:
    needed = set(module.prerequisites.values_list("pk", flat=True))
    if not needed:
        return True
    done = set(Enrolment.objects.filter(user=user, module_id__in=needed,
                                        status=Enrolment.Status.COMPLETED)
               .values_list("module_id", flat=True))
    return needed <= done


def can_open_module(user, module: ModulePage) -> bool:
    """Read a module's lessons and take its quiz: once its prerequisites are complete."""
    return user.is_authenticated and prerequisites_met(user, module)
