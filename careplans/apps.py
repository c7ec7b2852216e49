from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "careplans"
    verbose_name = "Care plans"
    demo_seed = "careplans.demo.demo_seed_careplans"  # run by manage.py seed_demo
    # The plan card on the patient's home page (clinic.views.account.home_sections)
    patient_home = "careplans.selectors.patient_home_section"
    patient_home_template = "careplans/_home_section.html"
