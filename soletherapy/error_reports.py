"""What a server error's email to the operators (ADMINS) says: what failed and where (the
exception, the traceback's files, lines and code, the route, the request id), never what the
request carried. Its address, query string, form values, cookies, headers and the traceback's
local variables can all hold a patient's details or a private link's token."""

from types import SimpleNamespace

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from soletherapy.log_filters import redact

HIDDEN = "[not included]"
_KEPT_META = ("REQUEST_METHOD", "SERVER_PROTOCOL", "CONTENT_TYPE", "CONTENT_LENGTH")


class PrivateReportFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        return dict.fromkeys(request.POST, HIDDEN) if request is not None else {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, HIDDEN) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        return {name: request.META[name] for name in _KEPT_META if name in request.META} if request else {}

    def get_safe_cookies(self, request):
        return dict.fromkeys(request.COOKIES, HIDDEN) if request is not None else {}


class PrivateExceptionReporter(ExceptionReporter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter = PrivateReportFilter()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        data["unicode_hint"] = ""  # an excerpt of the text that could not be decoded
        if "exception_value" in data:
            data["exception_value"] = redact(str(data["exception_value"]))
        if self.request is not None:
            match = self.request.resolver_match
            where = f"route {match.view_name}" if match else redact(self.request.path)
            # The report's templates name the request's address (request.path_info) too.
            data["request"] = SimpleNamespace(
                path_info=where, method=self.request.method, META={"REQUEST_METHOD": self.request.method}
            )
            data["request_insecure_uri"] = where
            data["request_GET_items"] = [(name, HIDDEN) for name in self.request.GET]
            data["request_FILES_items"] = [(name, HIDDEN) for name in self.request.FILES]
        return data
