"""The benchmark's request middleware."""

from django.db import connection


class QueryCountMiddleware:
    """Count the SQL queries of a request and send the count in an ``X-Query-Count`` header.

    Only installed when BENCHMARK_QUERY_COUNT=1 (see settings), outermost, so
    session and authentication queries count too: ``manage.py benchmark``
    reads the header to print queries per request from a production-like
    server, where DEBUG (and so ``connection.queries``) is off.
    """

    header = "X-Query-Count"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[self.header] = str(count)
        return response
