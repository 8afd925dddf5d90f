package io.tidegate.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Cuts off a request body that arrives slower than {@code bytesPerSecond}, measured from the
 * first time the server had to wait for it: a sender the server never waits for is never slow.
 *
 * <p>Why not Jetty's own minimum request data rate: it counts from the body's first byte, so a
 * complete body read late was "slow" too. At 1 KiB/s a 600-byte gate request read 0.6 s after it
 * arrived (a busy or stalled JVM) was answered 408, which Atlantis takes as a denial; CI saw a
 * 10-byte body read late refused that way. Jetty's {@code MinimumDataRateHandler} waits the same
 * way as here, but divides the bytes read by the whole server by one request's time, so one slow
 * sender among busy ones is never cut off. Here each request counts its own bytes.
 */
final class MinimumReadRate extends Handler.Wrapper {
    private final long bytesPerSecond;

    MinimumReadRate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception {
        return super.handle(new Paced(request), response, callback);
    }

    /** One request's body: its bytes, and when the server first waited for one. */
    private final class Paced extends Request.Wrapper {
        private long firstWait = Long.MIN_VALUE; // NanoTime of the first wait; MIN_VALUE: none
        private long bytesRead;
        private volatile Content.Chunk tooSlow;

        Paced(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk failed = tooSlow;
            if (failed != null) {
                return failed;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytesRead += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = NanoTime.now();
            if (firstWait == Long.MIN_VALUE) {
                firstWait = now;
            } else if (bytesRead < bytesPerSecond * NanoTime.millisElapsed(firstWait, now) / 1000) {
                // as Jetty's own check: the read throws it, and the error mapping answers 408
                tooSlow = Content.Chunk.from(new BadMessageException(408, "the request body"
                        + " arrived slower than " + bytesPerSecond + " bytes/s"));
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }
    }
}
