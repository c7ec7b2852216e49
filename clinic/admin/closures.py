"""Clinic closures (holidays) in the admin: the desk keeps the days a location, or every
location, is closed. Availability leaves them out (``clinic.selectors.availability``)."""

from django.contrib import admin

from clinic.models_scheduling import ClinicClosure


@admin.register(ClinicClosure)
class ClinicClosureAdmin(admin.ModelAdmin):
    list_display = ["name", "location_or_all", "start_date", "end_date"]
    list_filter = ["location"]
    list_select_related = ["location"]
    date_hierarchy = "start_date"
    search_fields = ["name"]

    @admin.display(description="Location", ordering="location__name")
    def location_or_all(self, closure):
        return closure.location or "All locations"
