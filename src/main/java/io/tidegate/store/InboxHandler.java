package io.tidegate.store;

/**
 * What the {@link InboxWorker} does with each event. Called for one event of a given ordering
 * key at a time, but for different keys from several threads at once: implementations must be
 * safe for concurrent use. An event may be handed over more than once (a worker died after
 * handling it, before marking it processed), so handling must be idempotent: write effects to
 * the outbox with keys derived from the event, never perform them directly.
 */
@FunctionalInterface
public interface InboxHandler {
    /** Handles the event; throwing means "try again later" (up to the worker's limit). */
    void handle(InboxEvent event) throws Exception;
}
