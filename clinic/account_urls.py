# Patient account routes arrive with the patient account work.
app_name = "account"
urlpatterns: list = []
