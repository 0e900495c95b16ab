"""Gunicorn settings read from the working directory (`gunicorn config.wsgi`): access log without query strings.

%(U)s is the path alone; the request line %(r)s, the query %(q)s and the referer %(f)s could carry
what a user typed (the similar search's `q`), which must not reach a log (product.md §13).
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
