from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"
    demo_seed = "intake.demo.demo_seed_intakes"  # run by manage.py seed_demo
