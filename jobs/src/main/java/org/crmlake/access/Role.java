package org.crmlake.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles of the product brief that may touch customer data, and what each may see. Commands ask
 * a role what it may do instead of naming roles, so issue 7 can enforce the same model everywhere.
 */
public enum Role {
    /** Runs the platform: clear contact points of every customer. */
    ADMIN(true, Book.ALL),
    /** Pulls audiences: clear contact points of every customer. */
    MARKETING(true, Book.ALL),
    /** Queries and analyses: personal data only masked. */
    ANALYST(false, Book.ALL),
    /** Leads a sales team: clear contact points of the customers whose owner is in their team. */
    MANAGER(true, Book.TEAM),
    /** Works their own book: clear contact points, but only of the customers they own. */
    SALES_REP(true, Book.OWN);

    /** Which customers a role sees: all, its team's (customer_360.team), or its own (customer_360.owner_id). */
    public enum Book {
        ALL, TEAM, OWN
    }

    private final boolean clearContactPoints;
    private final Book book;

    Role(boolean clearContactPoints, Book book) {
        this.clearContactPoints = clearContactPoints;
        this.book = book;
    }

    /** The spelling in the access file and the audit log: admin, marketing, analyst, manager, sales_rep. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** May see e-mails and phones (or their unsalted hashes) in clear; otherwise masked only. */
    public boolean seesClearContactPoints() {
        return clearContactPoints;
    }

    /** Which customers the role sees. */
    public Book book() {
        return book;
    }

    public static Optional<Role> parse(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }

    /** "admin, marketing, analyst, manager, sales_rep", for messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(Role::id).toList());
    }
}
