package org.crmlake.access;

/** Who runs a command, with the role the access file gives them; ownerId is set for sales reps, team for managers. */
public record Caller(String user, Role role, String ownerId, String team) {
    /** The caller's book as it appears in the audit log's definition ("" when they see every customer). */
    public String bookDescription() {
        return switch (role.book()) {
            case ALL -> "";
            case TEAM -> "; team=" + team;
            case OWN -> "; owner_id=" + ownerId;
        };
    }
}
