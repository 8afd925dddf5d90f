package io.tidegate.http;

import io.javalin.http.Context;
import org.eclipse.jetty.io.EofException;

/**
 * A request body that ended before the client said it would: the client closed its sending side
 * (or the connection) after fewer bytes than its {@code Content-Length}, or before the last chunk
 * of a chunked body. Jetty reports that as an {@code EofException} or
 * {@code HttpConnection.HttpEofException}, both {@link EofException}s, which reach a route's
 * read wrapped or not (Jetty's form parsing wraps it). It is the client's mistake: a 400, never
 * a 500 with a stack trace that anyone can write into the log. Only Jetty's own kind counts: a
 * {@code java.io.EOFException} of ours (a damaged file) stays a server error.
 */
final class TruncatedBody {
    /** Deeper than any wrapping a read goes through; guards a cause chain that loops. */
    private static final int MAX_CAUSES = 16;

    private TruncatedBody() {}

    /** Whether {@code e}, or anything in its cause chain, is the end of the body. */
    static boolean causedBy(Throwable e) {
        return inCauses(e, EofException.class);
    }

    /** Whether {@code e} or one of its causes is a {@code type}: how Jetty wraps its reasons. */
    static boolean inCauses(Throwable e, Class<? extends Throwable> type) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What the client did, for the 400 it gets. */
    static String message(Context ctx) {
        return ctx.header("Content-Length") != null
                ? "the request body ended before its Content-Length"
                : "the request body ended before its last chunk";
    }
}
