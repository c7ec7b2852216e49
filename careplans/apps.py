from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "careplans"
    verbose_name = "Care plans"
    # Its part of the patient's records (clinic.selectors.records, the right of access)
    patient_records = "careplans.records.patient_records"
    demo_seed = "careplans.demo.demo_seed_careplans"  # run by manage.py seed_demo
    # The plan card on the patient's home page (clinic.views.account.home_sections)
    patient_home = "careplans.selectors.patient_home_section"
    patient_home_template = "careplans/_home_section.html"
