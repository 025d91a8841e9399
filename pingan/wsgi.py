import os

from django.core.wsgi import get_wsgi_application

from pingan.serving import prepare_for_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
application = get_wsgi_application()
prepare_for_requests()
