package org.crmlake.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles of the product brief that may touch customer data, and what each may see. Commands ask
 * a role what it may do instead of naming roles, so issue 7 can enforce the same model everywhere.
 */
public enum Role {
    /** Pulls audiences: clear contact points of every customer. */
    MARKETING(true, false),
    /** Queries and analyses: personal data only masked. */
    ANALYST(false, false),
    /** Works their own book: clear contact points, but only of the customers they own. */
    SALES_REP(true, true);

    private final boolean clearContactPoints;
    private final boolean ownCustomersOnly;

    Role(boolean clearContactPoints, boolean ownCustomersOnly) {
        this.clearContactPoints = clearContactPoints;
        this.ownCustomersOnly = ownCustomersOnly;
    }

    /** The spelling in the access file and the audit log: marketing, analyst, sales_rep. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** May see e-mails and phones (or their unsalted hashes) in clear; otherwise masked only. */
    public boolean seesClearContactPoints() {
        return clearContactPoints;
    }

    /** Sees only customers whose owner_id is the caller's owner id. */
    public boolean seesOwnCustomersOnly() {
        return ownCustomersOnly;
    }

    public static Optional<Role> parse(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }

    /** "marketing, analyst, sales_rep", for messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(Role::id).toList());
    }
}
