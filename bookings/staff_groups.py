"""The four kinds of staff and what each may do in the admin, as Django groups. `sync` makes the
groups hold exactly these permissions: the data migration `0012_staff_groups` runs it, and so does
every `migrate` afterwards (bookings.apps), so a new model's permissions reach the groups without
anyone editing them by hand.

Nobody but a superuser may delete a booking or a patient (bookings are cancelled, and patients'
records kept for the retention period); superusers are for setting the site up, not daily work.
Which bookings a podiatrist may change (their own) is decided in the booking admin."""

RECEPTION = "Reception"
PODIATRIST = "Podiatrist"
CONTENT_EDITOR = "Content editor"
PRACTICE_MANAGER = "Practice manager"

VIEW = ("view",)
EDIT = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

# (app label, model name): the actions allowed on it.
GROUPS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    RECEPTION: {
        ("bookings", "booking"): EDIT,
        ("bookings", "patient"): EDIT,
        ("bookings", "questionnaire"): VIEW,
        ("bookings", "answer"): VIEW,
        ("bookings", "outboxemail"): VIEW,
        ("bookings", "waitlistentry"): ("view", "change"),
        ("bookings", "waitlistoffer"): VIEW,
        ("bookings", "workinghours"): ALL,
        ("bookings", "timeoff"): ALL,
        ("bookings", "clinicclosure"): ALL,
        ("bookings", "publicholidayopening"): ALL,
        # Hours and time off are edited on the practitioner's page, closures on the clinic's.
        ("bookings", "practitioner"): ("view", "change"),
        ("bookings", "service"): VIEW,
        ("bookings", "location"): ("view", "change"),
        ("bookings", "openinghours"): ALL,
        ("bookings", "bookingrules"): VIEW,
        ("bookings", "healthquestion"): VIEW,
    },
    PODIATRIST: {
        ("bookings", "booking"): ("view", "change"),  # their own only: see BookingAdmin
        ("bookings", "patient"): VIEW,
        ("bookings", "questionnaire"): VIEW,
        ("bookings", "answer"): VIEW,
        ("bookings", "practitioner"): VIEW,
        ("bookings", "workinghours"): VIEW,
        ("bookings", "timeoff"): VIEW,
        ("bookings", "clinicclosure"): VIEW,
        ("bookings", "publicholidayopening"): VIEW,
        ("bookings", "service"): VIEW,
        ("bookings", "location"): VIEW,
        ("bookings", "openinghours"): VIEW,
        ("bookings", "healthquestion"): VIEW,
    },
    CONTENT_EDITOR: {
        ("conditions", "condition"): EDIT,
        ("conditions", "conditionsection"): ALL,
        ("conditions", "treatment"): EDIT,
        ("conditions", "treatmentsection"): ALL,
        ("conditions", "bodyarea"): EDIT,
        ("conditions", "informationpage"): ("view", "change"),
        ("conditions", "informationsection"): ALL,
        ("conditions", "frequentquestion"): ALL,
        ("bookings", "service"): ("view", "change"),  # the wording, fees and what is included
        ("bookings", "healthquestion"): EDIT,
        ("reversion", "version"): VIEW,
        ("reversion", "revision"): VIEW,
    },
}
# The practice manager may do everything but delete bookings and patients.
NEVER_FOR_STAFF = {("bookings", "delete_booking"), ("bookings", "delete_patient")}
MANAGER_APPS = ("bookings", "conditions", "auth", "axes", "reversion", "django_tasks_database", "admin")


def _codenames(model_actions) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for (app, model), actions in model_actions.items() for action in actions}


def sync(apps) -> None:
    """Make the four groups hold exactly their permissions (creating any missing first)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        stub = getattr(app_config, "models_module", None) is None  # a historical app: say it has models
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = {(p.content_type.app_label, p.codename): p for p in Permission.objects.select_related("content_type")}
    wanted = {name: _codenames(models) for name, models in GROUPS.items()}
    wanted[PRACTICE_MANAGER] = {key for key in every if key[0] in MANAGER_APPS and key not in NEVER_FOR_STAFF}
    for name, codenames in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([every[key] for key in codenames if key in every])
