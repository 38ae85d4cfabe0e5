import os

from django.core.wsgi import get_wsgi_application

from config import gcsettings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
gcsettings.tune()  # after the application is loaded: see config/gcsettings.py
