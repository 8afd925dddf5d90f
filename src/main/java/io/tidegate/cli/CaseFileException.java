package io.tidegate.cli;

import java.util.List;

/**
 * A policy test or case file that cannot be used; the message names the file and every problem,
 * each as {@code file:line:column: message} where the place is known.
 */
final class CaseFileException extends Exception {
    private static final long serialVersionUID = 1L;

    CaseFileException(String message) {
        super(message);
    }

    CaseFileException(List<String> lines) {
        super(String.join("\n", lines));
    }
}
