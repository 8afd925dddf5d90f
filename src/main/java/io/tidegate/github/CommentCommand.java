package io.tidegate.github;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pull request comment asks for, as read by {@link CommentCommandParser}. Either a command
 * Tidegate answers, an Atlantis {@code plan}/{@code apply} Tidegate can pre-check, a polite
 * {@link Invalid} (the comment was addressed to us but is not well formed), or
 * {@link NotACommand}.
 */
public sealed interface CommentCommand {
    /** Who a comment was addressed to; decides which usage an {@link Invalid} shows. */
    enum Addressee { ATLANTIS, TIDEGATE }

    /**
     * Atlantis's verbs Tidegate gates ({@code state} is only ever {@code state rm}). Other
     * Atlantis commands are {@link NotACommand}.
     */
    enum Verb { PLAN, APPLY, IMPORT, STATE_RM }

    String ATLANTIS_USAGE = String.join("\n",
            "atlantis apply [-p PROJECT | -d DIR [-w WORKSPACE]] [-- TERRAFORM_ARGS]",
            "atlantis plan  [-p PROJECT | -d DIR [-w WORKSPACE]] [-- TERRAFORM_ARGS]",
            "atlantis import [-p PROJECT | -d DIR [-w WORKSPACE]] ADDRESS ID",
            "atlantis state [-p PROJECT | -d DIR [-w WORKSPACE]] rm ADDRESS...",
            "(the prefix may also be 'run' or '@<bot>')");

    String TIDEGATE_USAGE = String.join("\n",
            "tidegate explain [-p PROJECT]                 the full decision, reason by reason",
            "tidegate override --reason \"why it must go now\"   lift the window for this commit",
            "tidegate freeze ENV [--until 2026-12-27T09:00] --reason \"why\" [--overridable]",
            "                                              no apply in ENV until then",
            "tidegate unfreeze ENV                         lift ENV's freeze",
            "tidegate unlock ENV --reason \"why\"            release ENV's apply lock now",
            "tidegate help                                 this text");

    /** Ordinary conversation, or a command for someone else (including other Atlantis verbs). */
    record NotACommand() implements CommentCommand {}

    /**
     * {@code atlantis plan|apply|import|state rm}, as Atlantis's own parser reads it
     * ({@code CommentCommand}, server/events/event_parser.go, v0.47). {@code project} excludes
     * {@code dir} and {@code workspace}; {@code dir} is cleaned ({@code ./a/} is {@code a},
     * {@code /} is {@code .}) unless it is a glob; {@code extraArgs} are the words after
     * {@code --}, then import's ADDRESS ID or state rm's addresses.
     */
    record Atlantis(
            Verb verb,
            Optional<String> project,
            Optional<String> dir,
            Optional<String> workspace,
            List<String> extraArgs) implements CommentCommand {
        public Atlantis {
            Objects.requireNonNull(verb, "verb == null");
            Objects.requireNonNull(project, "project == null");
            Objects.requireNonNull(dir, "dir == null");
            Objects.requireNonNull(workspace, "workspace == null");
            extraArgs = List.copyOf(Objects.requireNonNull(extraArgs, "extraArgs == null"));
            if (project.isPresent() && (dir.isPresent() || workspace.isPresent())) {
                throw new IllegalArgumentException("project excludes dir and workspace");
            }
        }

        /** Whether a {@code -d} value is a glob (comment_parser.go, containsGlobPattern). */
        public static boolean isGlob(String dir) {
            return dir.contains("*") || dir.contains("?") || dir.contains("[");
        }

        /**
         * Whether Atlantis's selection can be known without Atlantis. It cannot for a
         * {@code -d} glob (matched against every project directory, doublestar) nor for a
         * {@code -p} with regular-expression characters (Atlantis matches {@code ^NAME$} as a
         * Go regexp against every project of atlantis.yaml,
         * server/core/config/valid/repo_cfg.go, FindProjectsByName).
         */
        public boolean isSelectionKnowable() {
            return dir.map(d -> !isGlob(d)).orElse(true)
                    && project.map(p -> !p.matches(".*[\\\\^$|?*+()\\[\\]{}].*"))
                            .orElse(true);
        }

        /**
         * The directory Atlantis runs in for a {@code -d}/{@code -w} selection: {@code .}
         * without {@code -d} (project_command_builder.go, DefaultRepoRelDir).
         */
        public String selectedDir() {
            return dir.orElse(".");
        }

        /** The workspace of a {@code -d}/{@code -w} selection: {@code default} without -w. */
        public String selectedWorkspace() {
            return workspace.orElse("default");
        }

        /** {@code -p}, {@code -d} or {@code -w} given: one project, not every planned one. */
        public boolean isForSpecificProject() {
            return project.isPresent() || dir.isPresent() || workspace.isPresent();
        }
    }

    /** {@code tidegate explain [-p PROJECT]}: every reason of the decision. */
    record Explain(Optional<String> project) implements CommentCommand {
        public Explain {
            Objects.requireNonNull(project, "project == null");
        }
    }

    /** {@code tidegate override --reason "..."}: a request to lift the deployment window. */
    record WindowOverride(String reason) implements CommentCommand {
        public WindowOverride {
            Objects.requireNonNull(reason, "reason == null");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("reason is blank");
            }
        }
    }

    /**
     * {@code tidegate freeze ENV [--until WHEN] --reason "..." [--overridable]}: no apply in the
     * environment until {@code until} (as written: a local date-time in the policy's zone, or
     * with an offset; empty = until unfrozen).
     */
    record Freeze(String environment, Optional<String> until, String reason,
            boolean overridable) implements CommentCommand {
        public Freeze {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(until, "until == null");
            Objects.requireNonNull(reason, "reason == null");
        }
    }

    /** {@code tidegate unfreeze ENV}: lift the environment's on-demand freeze now. */
    record Unfreeze(String environment) implements CommentCommand {
        public Unfreeze {
            Objects.requireNonNull(environment, "environment == null");
        }
    }

    /** {@code tidegate unlock ENV --reason "..."}: release the environment's apply lock now. */
    record Unlock(String environment, String reason) implements CommentCommand {
        public Unlock {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(reason, "reason == null");
        }
    }

    /** {@code tidegate help}. */
    record Help() implements CommentCommand {}

    /**
     * Addressed to us but not well formed: {@code problem} says what is wrong in one sentence,
     * {@code command} is the first line as written (shortened).
     */
    record Invalid(Addressee to, String command, String problem) implements CommentCommand {
        public Invalid {
            Objects.requireNonNull(to, "to == null");
            Objects.requireNonNull(command, "command == null");
            Objects.requireNonNull(problem, "problem == null");
        }

        public String usage() {
            return to == Addressee.TIDEGATE ? TIDEGATE_USAGE : ATLANTIS_USAGE;
        }

        /**
         * A polite Markdown reply. The command is quoted in a code span, so an {@code @mention}
         * in it notifies nobody.
         */
        public String reply() {
            return "Sorry, I could not understand `" + command.replace('`', '\'') + "`: " + problem
                    + "\n\nUsage:\n```\n" + usage() + "\n```\n";
        }
    }
}
