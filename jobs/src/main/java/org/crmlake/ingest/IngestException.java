package org.crmlake.ingest;

/** An export that cannot be ingested as a whole; the message names the file and the fix. */
public final class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
