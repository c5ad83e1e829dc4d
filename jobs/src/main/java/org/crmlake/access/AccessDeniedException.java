package org.crmlake.access;

/**
 * A request the caller's role does not allow (or a caller without a role). An
 * IllegalArgumentException, so the CLI prints one line and exits with code 2; {@code role} is the
 * role as written in the access file, null when the user is not in it, for the audit row.
 */
public final class AccessDeniedException extends IllegalArgumentException {
    private final String role;

    public AccessDeniedException(String message, String role) {
        super(message);
        this.role = role;
    }

    public String role() {
        return role;
    }
}
