from django.utils.functional import SimpleLazyObject

from .access import can, role_of, scope_label


def access(request):
    """The signed-in user's role and scope for the header (evaluated only when shown)."""
    user = getattr(request, "user", None)
    return {
        "user_role": SimpleLazyObject(lambda: role_of(user)),
        "user_scope": SimpleLazyObject(lambda: scope_label(user)),
        "user_can_import": SimpleLazyObject(lambda: can(user, "anmodning")),
    }
