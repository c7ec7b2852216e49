# Care plan routes arrive with the care plan work.
app_name = "careplans"
urlpatterns: list = []
