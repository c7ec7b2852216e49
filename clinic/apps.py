from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    demo_seed = "clinic.demo.demo_seed"  # run by manage.py seed_demo
