"""The practice's pages, one module per who uses them; the URLconfs import the modules.

- ``site``: the public home page, the health check, the favicon (visitors, load balancers);
- ``booking``: online booking, from the choice of visit to the confirmation (anyone);
- ``manage``: the patient's signed manage link: the visit, reschedule, cancel, calendar file;
- ``account``: the patient's sign-in link, their home page ("My care"), their password;
- ``workspace``: the therapist's own schedule;
- ``day_picker``: the day view of free times that booking and rescheduling share.
"""
