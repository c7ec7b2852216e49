from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    demo_seed = "clinic.demo.demo_seed"  # run by manage.py seed_demo

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from clinic.middleware import session_start

        user_logged_in.connect(session_start, dispatch_uid="clinic.session_start")
