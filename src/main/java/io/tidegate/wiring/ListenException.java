package io.tidegate.wiring;

import java.net.BindException;
import java.util.Optional;

/**
 * The server cannot listen where {@code TIDEGATE_BIND_ADDRESS} and {@code TIDEGATE_PORT} say:
 * the port is taken (another process, a second Tidegate), the address is not this machine's, or
 * the port needs privileges. {@code tidegate serve} prints the one-line message and exits 2, as
 * for any other bad setting; Jetty's stack trace is not printed.
 */
public final class ListenException extends RuntimeException {
    private ListenException(String host, int port, String why) {
        super("TIDEGATE_BIND_ADDRESS=" + host + " TIDEGATE_PORT=" + port + ": cannot listen there: "
                + why + hint(why), null, false, false);
    }

    /** The listen failure {@code e} is, when its cause is the socket's bind; else empty. */
    static Optional<ListenException> of(RuntimeException e, String host, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return Optional.of(new ListenException(host, port,
                        String.valueOf(bind.getMessage())));
            }
        }
        return Optional.empty();
    }

    private static String hint(String why) {
        if (why.contains("in use")) {
            return " (another process listens on that port)";
        }
        if (why.contains("assign requested address")) {
            return " (no network interface of this machine has that address)";
        }
        if (why.contains("Permission denied")) {
            return " (ports below 1024 need privileges)";
        }
        return "";
    }
}
