# The portal's image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# Cairo turns the network pages' SVG pictures into PNG downloads (CairoSVG); DejaVu draws Cyrillic in them.
RUN apt-get update && apt-get install -y --no-install-recommends libcairo2 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic only reads files; the throwaway key never signs anything.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --create-home portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "technopolis_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
