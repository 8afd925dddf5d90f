package io.tidegate.github;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code shlex.Split} of github.com/google/shlex, which Atlantis's comment parser uses
 * (server/events/comment_parser.go, v0.47): words split on space, tab, CR and LF;
 * {@code 'single'} quotes literal; {@code "double"} quotes and bare text take a backslash as
 * "the next character literally"; a {@code #} that starts a word starts a comment to the end of
 * the line. An unclosed quote or a trailing backslash is a {@link SyntaxException} with
 * google/shlex's message.
 */
final class Shlex {
    private Shlex() {}

    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    private enum State { START, WORD, ESCAPING, ESCAPING_QUOTED, QUOTING_ESCAPING, QUOTING,
        COMMENT }

    static List<String> split(String s) throws SyntaxException {
        List<String> words = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        State state = State.START;
        int[] runes = s.codePoints().toArray();
        for (int i = 0; i <= runes.length; i++) {
            boolean eof = i == runes.length;
            int c = eof ? -1 : runes[i];
            boolean space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            switch (state) {
                case START -> {
                    if (eof || space) {
                        continue;
                    }
                    state = c == '"' ? State.QUOTING_ESCAPING : c == '\'' ? State.QUOTING
                            : c == '\\' ? State.ESCAPING : c == '#' ? State.COMMENT : State.WORD;
                    if (state == State.WORD) {
                        value.appendCodePoint(c);
                    }
                }
                case WORD -> {
                    if (eof || space) {
                        words.add(value.toString());
                        value.setLength(0);
                        state = State.START;
                    } else if (c == '"') {
                        state = State.QUOTING_ESCAPING;
                    } else if (c == '\'') {
                        state = State.QUOTING;
                    } else if (c == '\\') {
                        state = State.ESCAPING;
                    } else {
                        value.appendCodePoint(c);
                    }
                }
                case ESCAPING, ESCAPING_QUOTED -> {
                    if (eof) {
                        throw new SyntaxException("EOF found after escape character");
                    }
                    value.appendCodePoint(c);
                    state = state == State.ESCAPING ? State.WORD : State.QUOTING_ESCAPING;
                }
                case QUOTING_ESCAPING -> {
                    if (eof) {
                        throw new SyntaxException("EOF found when expecting closing quote");
                    } else if (c == '"') {
                        state = State.WORD;
                    } else if (c == '\\') {
                        state = State.ESCAPING_QUOTED;
                    } else {
                        value.appendCodePoint(c);
                    }
                }
                case QUOTING -> {
                    if (eof) {
                        throw new SyntaxException("EOF found when expecting closing quote");
                    } else if (c == '\'') {
                        state = State.WORD;
                    } else {
                        value.appendCodePoint(c);
                    }
                }
                case COMMENT -> {
                    if (c == '\n') {
                        state = State.START;
                    }
                    value.setLength(0); // comments are skipped
                }
                default -> throw new AssertionError(state);
            }
        }
        return words;
    }
}
