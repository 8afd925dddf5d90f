package io.tidegate.github;

import java.util.ArrayList;
import java.util.List;

import io.tidegate.github.CommentCommandParser.CommandException;

/**
 * A word of a comment, split strictly: spaces and tabs separate words; {@code "double"} quotes
 * (with {@code \"} and {@code \\} inside) or {@code 'single'} quotes (literal) group words, and
 * must start and end a word. {@code quoted} records that a word was written in quotes.
 */
record CommentToken(String text, boolean quoted) {
    static List<CommentToken> split(String line) throws CommandException {
        List<CommentToken> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"' || c == '\'') {
                i = quoted(line, i, tokens);
            } else {
                i = bare(line, i, tokens);
            }
        }
        return tokens;
    }

    private static int bare(String line, int start, List<CommentToken> tokens)
            throws CommandException {
        int i = start;
        while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            if (line.charAt(i) == '"' || line.charAt(i) == '\'') {
                throw new CommandException("a quote may only start a word (at "
                        + CommentCommandParser.quote(line.substring(start, i + 1)) + ").");
            }
            i++;
        }
        tokens.add(new CommentToken(line.substring(start, i), false));
        return i;
    }

    /** Double quotes allow {@code \"} and {@code \\}; single quotes take text literally. */
    private static int quoted(String line, int start, List<CommentToken> tokens)
            throws CommandException {
        char quote = line.charAt(start);
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (i < line.length() && line.charAt(i) != quote) {
            char c = line.charAt(i);
            if (quote == '"' && c == '\\' && i + 1 < line.length()
                    && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            text.append(c);
            i++;
        }
        if (i >= line.length()) {
            throw new CommandException("the quote " + quote + " opened at column "
                    + (start + 1) + " is never closed.");
        }
        int end = i + 1;
        if (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
            throw new CommandException("a closing quote must end a word (at column "
                    + (end + 1) + ").");
        }
        tokens.add(new CommentToken(text.toString(), true));
        return end;
    }
}
