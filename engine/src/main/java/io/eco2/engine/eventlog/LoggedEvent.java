package io.eco2.engine.eventlog;

import io.eco2.engine.job.ProgressEvent;

/**
 * An event as the log holds it, with the dedup key it was appended under ({@code <stage>:<status>:<attempt>},
 * see {@link io.eco2.engine.job.ProgressUpdate#dedupKey()}).
 */
public record LoggedEvent(ProgressEvent event, String dedupKey) {
}
