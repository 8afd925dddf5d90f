package io.tidegate.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Bounds the request bodies being received at once, on every route: a request with a body
 * holds one of {@code permits} from its start until its body has been read to the end (or the
 * request ends), and a request that finds none is answered 503 with {@code Retry-After} before
 * a byte of its body is read. A blocking body read holds a request thread, so without this a
 * client with a token (or PR code that read it, see atlantis/README.md, "Threat model") could
 * hold every thread with bodies that never arrive, each for the whole idle timeout, and
 * {@code /healthz} and {@code /readyz} stopped answering (8-10 s, 500 stalled gate bodies). A
 * request without a body (the probes, every GET) never waits here, so the threads beyond the
 * permits stay theirs. Unauthenticated routes have smaller budgets of their own inside this
 * one (webhooks in {@link GitHubWebhookRoutes}, the sign-in form in the dashboard), so an
 * anonymous sender cannot use up the permits the gate needs.
 */
final class ConcurrentBodies extends Handler.Wrapper {
    private final Semaphore permits;

    ConcurrentBodies(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits < 1: " + permits);
        }
        this.permits = new Semaphore(permits);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        if (!permits.tryAcquire()) {
            // not read, so the connection cannot be reused: closed after the answer
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Response.writeError(request, response, callback, 503, "too many request bodies are"
                    + " being received at once; nothing was read or done, retry shortly");
            return true;
        }
        Held held = new Held(request);
        boolean handled = false;
        try {
            handled = super.handle(held, response, new Releasing(callback, held));
            return handled;
        } finally {
            if (!handled) {
                held.release();
            }
        }
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0 || length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** A request holding a permit; gives it back at its body's last chunk. */
    private final class Held extends Request.Wrapper {
        private final AtomicBoolean released = new AtomicBoolean();

        Held(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
                release();
            }
            return chunk;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }

    /** The request's callback, giving the permit back when the request ends, read or not. */
    private static final class Releasing extends Callback.Nested {
        private final Held held;

        Releasing(Callback callback, Held held) {
            super(callback);
            this.held = held;
        }

        @Override
        public void succeeded() {
            held.release();
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            held.release();
            super.failed(x);
        }
    }
}
