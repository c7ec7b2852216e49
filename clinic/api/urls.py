# Placeholder: the public booking API is being written (see clinic/api/).
urlpatterns: list = []
