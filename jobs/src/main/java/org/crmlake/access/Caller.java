package org.crmlake.access;

/** Who runs a command, with the role the access file gives them; ownerId is set for sales reps. */
public record Caller(String user, Role role, String ownerId) {
}
