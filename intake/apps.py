from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"
    # Its part of the patient's records (clinic.selectors.records, the right of access)
    patient_records = "intake.records.patient_records"
    demo_seed = "intake.demo.demo_seed_intakes"  # run by manage.py seed_demo
