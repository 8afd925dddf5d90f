package io.tidegate.cli;

/** A policy test or case file that cannot be read; the message names the file and the problem. */
final class CaseFileException extends Exception {
    private static final long serialVersionUID = 1L;

    CaseFileException(String message) {
        super(message);
    }
}
