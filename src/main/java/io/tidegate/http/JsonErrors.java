package io.tidegate.http;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers, as JSON like every other error of Tidegate:
 * {@code {"error": "...", "status": n}}. Jetty answers by itself before any route runs (a bad
 * request line 400, a URI too long 414, headers too large 431, an HTTP version it does not speak
 * 505, a body too slow 408) and when something escapes Javalin (an {@link Error} such as
 * {@code OutOfMemoryError}: 500); its default is an HTML page, whatever the client accepts.
 *
 * <p>The text is the status's reason phrase, never Jetty's detail or a stack trace.
 */
final class JsonErrors {
    private JsonErrors() {}

    /** For the server (errors before a context is chosen, bad messages). */
    static ErrorHandler forServer() {
        return new ErrorHandler() {
            @Override
            protected void generateResponse(Request request, Response response, int code,
                    String message, Throwable cause, Callback callback) {
                JsonErrors.answer(response, callback, code);
            }

            @Override
            protected boolean generateAcceptableResponse(Request request, Response response,
                    Callback callback, String contentType, List<Charset> charsets, int code,
                    String message, Throwable cause) {
                return JsonErrors.answer(response, callback, code);
            }
        };
    }

    /** For the servlet context Javalin runs in (what escapes Javalin's own error mapping). */
    static ErrorHandler forContext() {
        return new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
            @Override
            protected void generateResponse(Request request, Response response, int code,
                    String message, Throwable cause, Callback callback) {
                JsonErrors.answer(response, callback, code);
            }

            @Override
            protected boolean generateAcceptableResponse(Request request, Response response,
                    Callback callback, String contentType, List<Charset> charsets, int code,
                    String message, Throwable cause) {
                return JsonErrors.answer(response, callback, code);
            }
        };
    }

    static String body(int code) {
        String text = code >= 500 ? "internal error; the request was not applied"
                : HttpStatus.getMessage(code).toLowerCase(java.util.Locale.ROOT);
        return "{\"error\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"status\":" + code + "}";
    }

    static boolean answer(Response response, Callback callback, int code) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code).getBytes(StandardCharsets.UTF_8)),
                callback);
        return true;
    }
}
