from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    demo_seed = "clinic.demo.demo_seed"  # run by manage.py seed_demo

    def ready(self):
        # Every sign-in and failed sign-in goes in the audit trail (docs/access.md); a sign-in
        # also starts the session's clocks (idle and absolute).
        from django.contrib.auth import signals

        from clinic.middleware import session_start
        from clinic.services import audit

        signals.user_logged_in.connect(session_start, dispatch_uid="clinic.session_start")
        signals.user_logged_in.connect(audit.signed_in, dispatch_uid="audit_signed_in")
        signals.user_login_failed.connect(audit.sign_in_failed, dispatch_uid="audit_failed")
