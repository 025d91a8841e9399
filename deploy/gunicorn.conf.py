"""Gunicorn settings for one Pingan app server (deploy/systemd/pingan-web@.service starts one per port).

Several app servers (on one machine or many) sit behind nginx's upstream; each is stateless: sessions
in PostgreSQL (through the Redis cache), cache in Redis, uploads and job results in the shared
PINGAN_MEDIA_ROOT, static files collected into PINGAN_VAR_DIR/static and served by WhiteNoise (and by
nginx directly). Everything here can be overridden with GUNICORN_* variables in the environment file.
"""

import multiprocessing
import os

wsgi_app = "pingan.wsgi:application"
# Threaded workers (gthread), not the sync worker: measured on the incident list (bench/RESULTS.md),
# the sync worker's process took ~8,700 page faults and ~90 ms of system CPU per page (220 ms CPU in
# all), the gthread worker ~1,500 faults and 16 ms (110 ms in all), the same as the page in-process.
# Pages are short database round trips; long work goes to Celery.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a request longer than this is a bug: make it a job
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory of big pages)
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# nginx on the same machine (or the addresses in GUNICORN_FORWARDED_ALLOW_IPS) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "pingan-web"
control_socket_disable = True  # several app servers per machine; nothing kept in $HOME
