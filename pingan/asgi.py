import os

from django.core.asgi import get_asgi_application

from pingan.serving import prepare_for_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
application = get_asgi_application()
prepare_for_requests()
