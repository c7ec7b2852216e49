FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --no-cache-dir . && useradd --create-home stride
COPY . .
# collectstatic needs a key (50+ characters) to import settings; the real one comes from the
# environment.
RUN SECRET_KEY=build-only-collectstatic-never-used-to-sign-anything-0123456789 python manage.py collectstatic --noinput && chown -R stride /app
USER stride

EXPOSE 8000
CMD ["gunicorn", "clinic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
