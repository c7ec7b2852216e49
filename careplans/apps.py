from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "careplans"
    verbose_name = "Care plans"
    demo_seed = "careplans.demo.demo_seed_careplans"  # run by manage.py seed_demo
